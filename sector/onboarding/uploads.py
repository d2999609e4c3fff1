"""Checks for files people upload: size and what the bytes really are (a "PDF" that is not one is refused)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError

from .choices import MAX_UPLOAD_BYTES

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}
LABELS = {"pdf": "PDF", "png": "PNG image", "jpeg": "JPEG image"}


def sniff(head: bytes) -> str | None:
    for kind, prefixes in SIGNATURES.items():
        if any(head.startswith(p) for p in prefixes):
            return kind
    return None


def check_upload(upload, *, allowed: tuple[str, ...] = ("pdf", "png", "jpeg"), max_bytes: int = MAX_UPLOAD_BYTES):
    """Raise ValidationError unless `upload` is one of `allowed` by content and no larger than `max_bytes`.
    Returns the SHA-256 of its bytes."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            f"The file is {upload.size / 1048576:.1f} MB; the limit is {max_bytes // 1048576} MB. "
            "Scan at a lower resolution or split it."
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    upload.seek(0)
    head = upload.read(16)
    kind = sniff(head)
    wanted = " or ".join(LABELS[a] for a in allowed)
    if kind not in allowed:
        raise ValidationError(f"This file is not a {wanted}, whatever its name says. Choose a {wanted} file.")
    if kind == "pdf":
        upload.seek(0)
        data = upload.read()
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError("This PDF is incomplete or damaged (it has no end marker). Save it again and retry.")
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()
