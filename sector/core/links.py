"""Absolute links for emails and letters, from the one setting that says where the portal lives.

An email has no request to take a host from, so every link in one is built here from `settings.PORTAL_URL`.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings


class HasAbsoluteUrl(Protocol):
    def get_absolute_url(self) -> str: ...


def absolute_url(path_or_obj: str | HasAbsoluteUrl) -> str:
    """`PORTAL_URL` joined to a path ("/collisions/1/", e.g. from `reverse`) or to a record's own page."""
    path = path_or_obj if isinstance(path_or_obj, str) else path_or_obj.get_absolute_url()
    return settings.PORTAL_URL.rstrip("/") + "/" + path.lstrip("/")
