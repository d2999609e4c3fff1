"""Secrets the portal must send on (outbound destinations' auth headers) are stored encrypted at rest.

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with the keys in `FIELD_ENCRYPTION_KEYS`: the first
encrypts, every one decrypts (MultiFernet), so a key is rotated by putting the new one first and re-saving.
Production refuses to start without the setting (sector/settings/prod.py); dev and test derive a key from
their own SECRET_KEY so `make run` needs nothing. A database dump alone no longer gives away the secrets.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty; set at least one Fernet key.")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key: {exc}") from None


def _keys() -> tuple[str, ...]:
    return tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) or ())


def encrypt(plain: str) -> str:
    if plain == "":
        return ""
    return PREFIX + _fernet(_keys()).encrypt(plain.encode()).decode()


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def decrypt(stored: str) -> str:
    """The plain text. A value written before encryption (no prefix) is returned as it is, so the data
    migration can read it; a token no configured key opens raises ImproperlyConfigured (a wrong key)."""
    if not stored or not is_encrypted(stored):
        return stored
    try:
        return _fernet(_keys()).decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored secret cannot be decrypted with FIELD_ENCRYPTION_KEYS; was the key changed without keeping "
            "the old one in the list?"
        ) from None


class EncryptedTextField(models.TextField):
    """Text encrypted with Fernet in the database, plain in Python. Not searchable, not orderable."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return value if value is None else decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return value if value is None else encrypt(value)
