"""Stored files written once and read back only when their SHA-256 still matches (issue 14, item 2).

The portal's files live in the `default` storage: local files for `make run` and the tests, an S3-compatible
bucket (django-storages' S3Boto3Storage) in production, so every web node and worker sees the same files.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile

from .errors import DomainError


class StoredFileError(DomainError):
    """A stored file cannot be written (it exists already) or no longer matches its recorded SHA-256."""


def save_once(file: FieldFile, filename: str, content: bytes) -> str:
    """Store `content` under the name the field gives `filename`, refusing when an object of that name is
    already in the storage: a write-once file is never replaced (nor silently renamed). Returns the name; the
    caller saves the row."""
    name = file.field.generate_filename(file.instance, filename)
    if file.storage.exists(name):
        raise StoredFileError(f"A file named {name} is already stored; it is written once and never replaced.")
    stored = file.storage.save(name, ContentFile(content))
    file.name = stored
    file._committed = True
    return stored


def read_verified(file: FieldFile, *, sha256: str) -> bytes:
    """The stored bytes of `file`, only if their SHA-256 is `sha256`; a missing or altered file is refused."""
    if not file:
        raise StoredFileError("The stored file is missing.")
    try:
        with file.storage.open(file.name, "rb") as handle:
            data = handle.read()
    except OSError:
        raise StoredFileError("The stored file is missing from the file store.") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise StoredFileError(
            "The stored file does not match the SHA-256 recorded when it was written; it may have been altered, "
            "so it is not served. WSP has been told."
        )
    return data
