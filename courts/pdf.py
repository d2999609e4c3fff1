"""The ticket notice as a PDF (WeasyPrint, block/table layout, fetching limited to our static files)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string


def _static_only_fetcher(url: str, *args, **kwargs):
    from weasyprint.urls import URLFetchingError, default_url_fetcher

    static_root = Path(settings.BASE_DIR, "static").resolve()
    if url.startswith("file://"):
        path = Path(url[7:]).resolve()
        if static_root in path.parents:
            return default_url_fetcher(url, *args, **kwargs)
    raise URLFetchingError(f"fetching {url[:80]} is not allowed")


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    base_url = Path(settings.BASE_DIR, "static").resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=_static_only_fetcher).write_pdf()
