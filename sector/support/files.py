"""Attachment checks: size, count, and type by content (the name's extension must agree with the bytes)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from .choices import ALLOWED_EXTENSIONS, ATTACHMENT_KINDS, ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_POST

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"%PDF-", "pdf"),
)
_TEXT_CONTROL_OK = {9, 10, 12, 13}


@dataclass(frozen=True)
class CheckedFile:
    upload: object
    name: str
    content_type: str
    size: int
    sha256: str


def _sniff(head: bytes, whole: bytes | None) -> str | None:
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    data = whole if whole is not None else head
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


def _image_is_whole(upload, kind: str) -> bool:
    if kind not in ("png", "jpeg", "gif"):
        return True
    from PIL import Image

    try:
        upload.seek(0)
        with Image.open(upload) as img:
            img.verify()
        return True
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken image
        return False
    finally:
        upload.seek(0)


def clean_name(name: str) -> str:
    base = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    return "".join(ch for ch in base if ch.isprintable())[:200] or "attachment"


def check_upload(upload) -> CheckedFile:
    """Accept one uploaded file or raise ValidationError saying what to do instead."""
    name = clean_name(getattr(upload, "name", ""))
    size = upload.size
    if size == 0:
        raise ValidationError(f"“{name}” is empty. Attach the file again.")
    if size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            f"“{name}” is {filesizeformat(size)}; attachments may be up to {filesizeformat(ATTACHMENT_MAX_BYTES)}. "
            "Send a smaller screenshot, or only the relevant part of the log."
        )
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            f"“{name}” is not an accepted type. Attach images (PNG, JPEG, GIF), PDF documents or text logs "
            f"({', '.join(ALLOWED_EXTENSIONS)})."
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    kind = _sniff(data[:16], data)
    expected = next(k for k, (exts, _) in ATTACHMENT_KINDS.items() if suffix in exts)
    if kind != expected or not _image_is_whole(upload, kind):
        raise ValidationError(
            f"“{name}” does not contain what its name says ({suffix} file). It was refused; attach the original file."
        )
    return CheckedFile(
        upload=upload,
        name=name,
        content_type=ATTACHMENT_KINDS[kind][1],
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def check_uploads(uploads) -> list[CheckedFile]:
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > ATTACHMENTS_PER_POST:
        raise ValidationError(f"Attach at most {ATTACHMENTS_PER_POST} files at a time.")
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked
