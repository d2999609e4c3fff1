"""PDFs through WeasyPrint: block/table templates, URL fetching limited to the project's static files."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()


def _fetcher(url: str, *args, **kwargs):
    from weasyprint import default_url_fetcher

    if url.startswith("file://"):
        path = Path(url[len("file://") :]).resolve()
        if path.is_relative_to(STATIC_DIR):
            return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"PDF templates may load only the portal's static files, not {url}")


def render_pdf(template_name: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=_fetcher).write_pdf()
