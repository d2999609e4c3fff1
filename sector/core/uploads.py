"""Checks for files people upload, and for images the feed sends: size, count, and what the bytes really are.

Written once for every app. A file is accepted only when its name's extension is one the caller allows *and* its
content is of that same kind (a "PDF" that is an executable, a "PNG" that is a PDF, a truncated image, or a PDF
without its end marker is refused). Each caller passes the kinds it accepts and its limits; the messages say what
to do instead.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files import File


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple[str, ...]
    content_type: str
    signatures: tuple[bytes, ...] = ()


KINDS = {
    "png": Kind("PNG image", (".png",), "image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpeg": Kind("JPEG image", (".jpg", ".jpeg"), "image/jpeg", (b"\xff\xd8\xff",)),
    "gif": Kind("GIF image", (".gif",), "image/gif", (b"GIF87a", b"GIF89a")),
    "pdf": Kind("PDF", (".pdf",), "application/pdf", (b"%PDF-",)),
    "text": Kind("text file", (".txt", ".log", ".csv"), "text/plain"),
}
IMAGE_KINDS = ("png", "jpeg", "gif")
MAX_IMAGE_PIXELS = 40_000_000  # a decompression bomb is an unreadable image, not a crash
_TEXT_CONTROL_OK = {9, 10, 12, 13}


@dataclass(frozen=True)
class CheckedFile:
    upload: File
    name: str
    content_type: str
    size: int
    sha256: str


def size_text(n: int) -> str:
    """5 MB, 5.2 MB, 300 KB: how the limits and sizes read in messages."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


def extensions(allowed: tuple[str, ...]) -> tuple[str, ...]:
    """The file-name extensions of the `allowed` kinds, e.g. for an <input accept=...>."""
    return tuple(ext for kind in allowed for ext in KINDS[kind].extensions)


def describe(allowed: tuple[str, ...]) -> str:
    labels = [KINDS[kind].label for kind in allowed]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def sniff(data: bytes) -> str | None:
    """The kind the bytes are (a key of KINDS), by signature; text when they decode as text; else None."""
    for kind, spec in KINDS.items():
        if any(data.startswith(sig) for sig in spec.signatures):
            return kind
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # Windows logs
        except UnicodeDecodeError:
            return None
    if any(ord(ch) < 32 and ord(ch) not in _TEXT_CONTROL_OK for ch in text):
        return None
    return "text"


def image_dimensions(data: bytes) -> tuple[int, int] | None:
    """(width, height) when the bytes decode completely as an image (verify() checks the structure, load()
    decodes the pixels); None when they do not."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            return img.size
    except Exception:  # noqa: BLE001 - Pillow raises many kinds (and DecompressionBombError) for a bad image
        return None


def content_is_whole(data: bytes, kind: str) -> bool:
    if kind in IMAGE_KINDS:
        return image_dimensions(data) is not None
    if kind == "pdf":
        return b"%%EOF" in data[-2048:]
    return True


def clean_name(name: str) -> str:
    base = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    return "".join(ch for ch in base if ch.isprintable())[:200] or "attachment"


def check_upload(upload: File, *, allowed: tuple[str, ...], max_bytes: int, too_large_advice: str = "") -> CheckedFile:
    """Accept one uploaded file of one of the `allowed` kinds (keys of KINDS), at most `max_bytes`, or raise
    ValidationError saying what to do instead."""
    name = clean_name(getattr(upload, "name", ""))
    size = upload.size
    if not size:
        raise ValidationError(f"“{name}” is empty. Attach the file again.")
    if size > max_bytes:
        raise ValidationError(
            f"“{name}” is {size_text(size)}; the limit is {size_text(max_bytes)}. {too_large_advice}".strip()
        )
    suffix = PurePosixPath(name).suffix.lower()
    expected = next((kind for kind in allowed if suffix in KINDS[kind].extensions), None)
    if expected is None:
        raise ValidationError(
            f"“{name}” is not an accepted type. Choose a {describe(allowed)} file ({', '.join(extensions(allowed))})."
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if sniff(data) != expected or not content_is_whole(data, expected):
        label = KINDS[expected].label
        raise ValidationError(
            f"“{name}” does not contain what its name says: it is not a {label}, or it is incomplete or damaged. "
            f"It was refused; choose the original {label}."
        )
    return CheckedFile(
        upload=upload,
        name=name,
        content_type=KINDS[expected].content_type,
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def check_uploads(
    uploads, *, allowed: tuple[str, ...], max_bytes: int, max_count: int, too_large_advice: str = ""
) -> list[CheckedFile]:
    """check_upload for several files at once; every file's problem is reported, not just the first."""
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > max_count:
        raise ValidationError(f"Attach at most {max_count} files at a time.")
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(
                check_upload(upload, allowed=allowed, max_bytes=max_bytes, too_large_advice=too_large_advice)
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked
