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
from django.core.files.uploadhandler import FileUploadHandler


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


PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF"}  # the only decoders Pillow may try


class ImageRefused(ValueError):
    """The bytes are not an image the portal takes; the message says why, for people."""


class ImageTooLarge(ImageRefused):
    """More pixels than MAX_IMAGE_PIXELS (found from the header, nothing decoded)."""


def image_size(data: bytes, kind: str) -> tuple[int, int]:
    """(width, height) of an image of `kind` (png, jpeg, gif), or ImageRefused. The size comes from the header
    and is checked against MAX_IMAGE_PIXELS before a pixel is decoded (an 80-megapixel PNG can be 10 KB); only
    that kind's decoder is tried, then verify() checks the structure and load() decodes it completely."""
    import warnings

    from PIL import Image

    fmt = PIL_FORMATS.get(kind)
    if fmt is None:
        raise ImageRefused("This is not a PNG, JPEG or GIF image.")
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS  # Pillow's own guard stays on behind ours
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # refused just below
            with Image.open(io.BytesIO(data), formats=[fmt]) as img:
                width, height = img.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ImageTooLarge(
                        f"The image is {width:,} × {height:,} pixels; the limit is "
                        f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels. Send a smaller image."
                    )
                img.verify()
        with Image.open(io.BytesIO(data), formats=[fmt]) as img:
            img.load()
            return img.size
    except ImageRefused:
        raise
    except Image.DecompressionBombError:
        raise ImageTooLarge(
            f"The image has more than {MAX_IMAGE_PIXELS // 1_000_000} megapixels. Send a smaller image."
        ) from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a bad image
        raise ImageRefused(f"This is not a complete {KINDS[kind].label}: it is incomplete or damaged.") from None


def image_dimensions(data: bytes, kind: str | None = None) -> tuple[int, int] | None:
    """(width, height) when the bytes are a whole image of `kind` (by default the kind they sniff as) within
    the pixel limit; None when they are not."""
    kind = kind or sniff(data)
    if kind not in IMAGE_KINDS:
        return None
    try:
        return image_size(data, kind)
    except ImageRefused:
        return None


def content_is_whole(data: bytes, kind: str) -> bool:
    if kind in IMAGE_KINDS:
        return image_dimensions(data, kind) is not None
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
    whole = False
    if sniff(data) == expected and expected in IMAGE_KINDS:
        try:
            image_size(data, expected)
            whole = True
        except ImageTooLarge as exc:
            raise ValidationError(f"“{name}” was refused: {exc}") from None
        except ImageRefused:
            whole = False  # said below, as for every other kind
    elif sniff(data) == expected:
        whole = content_is_whole(data, expected)
    if not whole:
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


# --------------------------------------------------------------------- the request body, before it reaches disk


def max_request_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "MAX_REQUEST_BODY_BYTES", 30 * 1024 * 1024))


class BodyTooLarge(Exception):  # noqa: N818 - reads as what happened
    """The request body is over MAX_REQUEST_BODY_BYTES: answered 413 by RequestBodyLimitMiddleware."""


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts every file byte of a request and stops the upload once the total
    passes MAX_REQUEST_BODY_BYTES, before the next handler writes the chunk to memory or a temporary file. A
    Content-Length over the limit is refused before a byte is read."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.limit = max_request_bytes()

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803
        if content_length and content_length > self.limit:
            raise BodyTooLarge()
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise BodyTooLarge()
        return raw_data

    def file_complete(self, file_size):
        return None


class RequestBodyLimitMiddleware:
    """Refuse a request whose body is over MAX_REQUEST_BODY_BYTES with a 413 page, nothing stored: by its
    Content-Length before reading, and (through LimitedUploadHandler) while a form's files are parsed."""

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _declared_length(request) -> int:
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 0

    def __call__(self, request):
        from django.http import HttpResponse
        from django.template import loader

        def too_large():
            limit = size_text(max_request_bytes())
            if request.path.startswith("/api/"):  # the feed answers JSON (contracts/FEED.md)
                response = HttpResponse(
                    f'{{"error": "A request is at most {limit}."}}', status=413, content_type="application/json"
                )
            else:
                response = HttpResponse(loader.get_template("413.html").render({"limit": limit}), status=413)
            response["Connection"] = "close"
            return response

        if self._declared_length(request) > max_request_bytes():
            return too_large()
        if request.method in ("POST", "PUT", "PATCH") and request.content_type in (
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ):
            try:
                request.POST  # noqa: B018 - parse now, under the limit, so a refusal is a 413 and not a 500
                request.FILES  # noqa: B018
            except BodyTooLarge:
                return too_large()
        return self.get_response(request)
