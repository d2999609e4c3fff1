"""PDFs through WeasyPrint, written once for every app: block/table templates under templates/<app>/pdf/, and a URL
fetcher that may read only the portal's own static files (and embedded data:image URIs, e.g. a collision diagram).

A PDF template is filled with data people typed or agencies sent, so anything it can make WeasyPrint fetch is an
attack surface: no network, no file outside static/. The path is percent-decoded and normalized *before* it is
checked, so `/static/%2e%2e/%2e%2e/etc/passwd` is `/etc/passwd` and is refused. Templates may refer to a static
file by a path relative to static/ (`css/pdf.css`) or by its `{% static %}` URL (`/static/css/pdf.css`).

WeasyPrint 68 replaced `default_url_fetcher` with the `URLFetcher` class (CVE-2025-68616); this uses the class.
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string


def static_dir() -> Path:
    return Path(settings.BASE_DIR, "static").resolve()


def static_file_for(url: str) -> Path | None:
    """The file under static/ that a `file:` URL names, or None when it names anything else."""
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = posixpath.normpath("/" + unquote(parts.path, errors="strict").lstrip("/"))
        root = static_dir()
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        candidate = Path(path)
        if path.startswith(prefix) and not candidate.is_relative_to(root):
            candidate = root / path[len(prefix) :]
        candidate = candidate.resolve(strict=True)  # follows symlinks too, then checks where it really is
    except (ValueError, OSError, UnicodeDecodeError):  # NUL bytes, undecodable escapes, missing files
        return None
    if candidate.is_relative_to(root) and candidate.is_file():
        return candidate
    return None


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:image/"):
                return super().fetch(url, headers)
            path = static_file_for(url)
            if path is None:
                raise URLFetchingError(f"PDF templates may load only the portal's static files, not {url[:80]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` with `context` and return the PDF's bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=static_dir().as_uri() + "/", url_fetcher=_fetcher()).write_pdf()
