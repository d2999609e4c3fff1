"""PDFs through WeasyPrint, written once for every app: block/table templates under templates/<app>/pdf/, and a URL
fetcher that may read only the portal's own static files (and embedded data:image URIs, e.g. a collision diagram).

A PDF template is filled with data people typed or agencies sent, so anything it can make WeasyPrint fetch is an
attack surface: no network, no file outside static/. The path is percent-decoded and normalized *before* it is
checked, so `/static/%2e%2e/%2e%2e/etc/passwd` is `/etc/passwd` and is refused. Templates may refer to a static
file by a path relative to static/ (`css/pdf.css`) or by its `{% static %}` URL (`/static/css/pdf.css`).

WeasyPrint 68 replaced `default_url_fetcher` with the `URLFetcher` class (CVE-2025-68616); this uses the class.

Every PDF is tagged PDF/UA-1 (issue 15): a structure tree a screen reader follows, /MarkInfo /Marked true, the
document language (en-US unless the template says otherwise) and its title (the template's <title>), and XMP
metadata declaring pdfuaid:part 1. Templates are plain block layout (issue 15: table auto-layout and nested boxes
are WeasyPrint's slow path); a table only where the content is a grid, with `table-layout: fixed`.

Rendering is split so a benchmark can time its parts: `render_document` (template, then layout) and
`write_document` (drawing and writing the PDF). A document rendered once for a record version is kept by
sector.core.documents, which views use; `render_pdf` always renders.
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


PDF_VARIANT = "pdf/ua-1"
LANGUAGE = "en-US"
DEFAULT_TITLE = "SECTOR Program Portal document"


def layout_html(html: str):
    """Lay out an HTML string (the layout step): a WeasyPrint Document with its language and title set."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=static_dir().as_uri() + "/", url_fetcher=_fetcher()).render(
        pdf_variant=PDF_VARIANT
    )
    if not document.metadata.lang or document.metadata.lang.lower() == "en":
        document.metadata.lang = LANGUAGE
    document.metadata.title = (document.metadata.title or "").strip() or DEFAULT_TITLE
    return document


def write_document(document) -> bytes:
    """Draw and write a laid-out document as tagged PDF/UA-1 (the write step)."""
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render `template_name` with `context` and return the PDF's bytes (always renders; see documents.py)."""
    return write_document(layout_html(render_to_string(template_name, context)))
