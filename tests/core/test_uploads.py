"""The one upload check (sector.core.uploads): the name's extension must be allowed and agree with the bytes."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sector.core.uploads import check_upload, check_uploads, image_dimensions, size_text, sniff


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (6, 4), (10, 79, 143)).save(out, format=fmt)
    return out.getvalue()


PNG, JPEG, GIF = _image("PNG"), _image("JPEG"), _image("GIF")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ALL = ("png", "jpeg", "gif", "pdf", "text")


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("data", "kind"),
    [(PNG, "png"), (JPEG, "jpeg"), (GIF, "gif"), (PDF, "pdf"), (b"ERR 42\r\n", "text"), (b"MZ\x90\x00", None)],
)
def test_sniff_names_the_kind_by_content(data, kind):
    assert sniff(data) == kind


def test_a_file_whose_bytes_match_its_name_is_accepted_with_its_digest():
    checked = check_upload(upload("scan.JPG", JPEG), allowed=ALL, max_bytes=1024 * 1024)
    assert (checked.name, checked.content_type, checked.size) == ("scan.JPG", "image/jpeg", len(JPEG))
    assert checked.sha256 == hashlib.sha256(JPEG).hexdigest()


@pytest.mark.parametrize(
    ("name", "content", "allowed", "message"),
    [
        ("photo.png", PDF, ALL, "does not contain what its name says: it is not a PNG image"),
        ("scan.pdf", PNG, ALL, "it is not a PDF"),
        ("cut.pdf", PDF[:-7], ALL, "incomplete or damaged"),
        ("broken.png", PNG[:40], ALL, "incomplete or damaged"),
        ("notes.txt", b"hello\x00\x01binary", ALL, "not a text file"),
        ("photo.png", PNG, ("pdf",), "not an accepted type. Choose a PDF file (.pdf)"),
        ("setup.exe", b"MZ\x90\x00", ("pdf", "png"), "Choose a PDF or PNG image file (.pdf, .png)"),
        ("empty.pdf", b"", ALL, "is empty"),
        ("big.pdf", b"%PDF-" + b"0" * 2048 + b"%%EOF", ALL, "is 2 KB; the limit is 1 KB. Split it."),
    ],
)
def test_what_is_refused_says_why(name, content, allowed, message):
    with pytest.raises(ValidationError) as excinfo:
        check_upload(upload(name, content), allowed=allowed, max_bytes=1024, too_large_advice="Split it.")
    assert message in excinfo.value.messages[0]


def test_several_files_report_every_problem_and_the_count_is_limited():
    with pytest.raises(ValidationError) as excinfo:
        check_uploads([upload("a.png", PDF), upload("b.pdf", PNG)], allowed=ALL, max_bytes=10**6, max_count=5)
    assert len(excinfo.value.messages) == 2
    with pytest.raises(ValidationError, match="at most 1 files"):
        check_uploads([upload("a.txt", b"x"), upload("b.txt", b"y")], allowed=ALL, max_bytes=10**6, max_count=1)


def test_image_dimensions_only_for_a_whole_image():
    assert image_dimensions(PNG) == (6, 4)
    assert image_dimensions(PNG[:40]) is None and image_dimensions(b"\x89PNG\r\n\x1a\nnope") is None


def test_size_text():
    assert (size_text(5 * 1024 * 1024), size_text(1536), size_text(12)) == ("5 MB", "1.5 KB", "12 bytes")
