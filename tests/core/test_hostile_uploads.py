"""Hostile uploads (issue 13): the request body is limited before it reaches disk, images are refused above the
pixel limit before a pixel is decoded, and only the formats the contract names are decoded at all."""

import io
import struct
import time
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse
from PIL import Image

from sector.core import uploads
from sector.core.uploads import check_upload, image_dimensions

pytestmark = pytest.mark.django_db


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def megapixel_png(width: int = 10_000, height: int = 8_000) -> bytes:
    """A real, complete 80-megapixel PNG (1-bit gray, all black) built in a blink: ~10 KB on the wire."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def _image(fmt: str, size=(6, 4)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 79, 143)).save(out, format=fmt)
    return out.getvalue()


def test_the_80_megapixel_png_is_refused_before_it_is_decoded(monkeypatch):
    bomb = megapixel_png()
    assert len(bomb) < 100 * 1024
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self) or None)
    monkeypatch.setattr(Image.Image, "verify", lambda self: decoded.append(self) or None, raising=False)
    started = time.process_time()
    with pytest.raises(ValidationError, match=r"10,000 × 8,000 pixels; the limit is 40 megapixels"):
        check_upload(SimpleUploadedFile("diagram.png", bomb), allowed=("png",), max_bytes=5 * 1024 * 1024)
    assert decoded == [] and time.process_time() - started < 0.5
    assert image_dimensions(bomb) is None  # the collision diagram's check says bad_diagram


def test_an_image_just_under_the_limit_is_still_taken(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_PIXELS", 100)
    assert image_dimensions(_image("PNG", (10, 10))) == (10, 10)
    assert image_dimensions(_image("PNG", (10, 11))) is None


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "WEBP", "ICO"])
def test_a_format_the_contract_does_not_name_is_refused_even_under_an_image_name(fmt):
    data = _image(fmt)
    with pytest.raises(ValidationError, match="does not contain what its name says"):
        check_upload(SimpleUploadedFile("screen.png", data), allowed=("png", "jpeg", "gif"), max_bytes=10**6)
    assert image_dimensions(data) is None


def test_only_the_named_kinds_decoder_is_tried():
    gif = _image("GIF")
    assert image_dimensions(gif, "gif") == (6, 4)
    assert image_dimensions(gif, "png") is None  # a GIF is never decoded as a PNG's stand-in
    with pytest.raises(uploads.ImageRefused):
        uploads.image_size(_image("BMP"), "bmp")


def test_a_body_over_the_limit_by_its_content_length_is_a_413_before_it_is_read(world, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    client = world.client_for("lasa")
    response = client.generic(
        "POST",
        reverse("support:request_create"),
        data=b"x" * (2 * 1024 * 1024),
        content_type="multipart/form-data; boundary=zzz",
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode() and "1 MB" in response.content.decode()


def test_an_oversized_upload_stops_before_the_next_handler_writes_it_to_disk(world, settings, monkeypatch):
    """The Content-Length is told honestly small at first (a chunked or lying client): the handler counts the
    file bytes and stops at the limit; the temporary-file handler never receives a chunk past it."""
    from sector.support.models import SupportRequest

    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every file goes to a temporary file on disk
    written = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def spy(self, raw_data, start):
        written.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", spy)
    monkeypatch.setattr(uploads.LimitedUploadHandler, "handle_raw_input", lambda *a, **k: None)
    monkeypatch.setattr(uploads.RequestBodyLimitMiddleware, "_declared_length", staticmethod(lambda request: 0))
    client = world.client_for("lasa")
    big = SimpleUploadedFile("client.log", b"x" * (3 * 1024 * 1024))
    response = client.post(
        reverse("support:request_create"),
        {"category": "other", "subject": "s", "description": "d", "attachments": [big]},
    )
    assert response.status_code == 413
    assert sum(written) <= 1024 * 1024
    assert not SupportRequest.objects.exists()


def test_a_normal_upload_still_goes_through(world, settings):
    from sector.support.models import SupportRequest
    from sector.support.reference import ensure_reference
    from tests.support.test_views import _form

    ensure_reference()  # support's categories and priorities (a flushing test before this one may have removed them)
    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # through the temporary-file handler too
    client = world.client_for("lasa")
    log = SimpleUploadedFile("client.log", b"ERR 42\r\n" * 50_000)  # 400 KB
    response = client.post(reverse("support:request_create"), _form(attachments=[log]))
    assert response.status_code == 302
    assert SupportRequest.objects.get().attachments.get().original_name == "client.log"


def test_the_feed_gets_a_json_413():
    from django.conf import settings
    from django.test import Client

    response = Client().generic(
        "POST",
        "/api/feed/v1/batches",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_BYTES + 1),
    )
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
