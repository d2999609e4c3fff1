"""The one PDF renderer and its static-files-only fetcher (sector.core.pdf)."""

import base64
import io

import pytest
from PIL import Image

from sector.core.pdf import _fetcher, render_pdf, static_dir, static_file_for

UP = "%2e%2e/" * 12  # more than enough to climb from static/ to /


def test_a_percent_encoded_dot_dot_does_not_escape_static():
    """The bug: the old fetchers checked the still-encoded path, which looked like it stayed inside static/,
    while urllib opened the decoded one, /etc/passwd."""
    fetcher = _fetcher()
    for url in (
        f"{static_dir().as_uri()}/{UP}etc/passwd",
        f"file:///static/{UP}etc/passwd",
        f"{static_dir().as_uri()}/css/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc/passwd",
        f"{static_dir().as_uri()}/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
    ):
        assert static_file_for(url) is None, url
        with pytest.raises(Exception, match="static files"):
            fetcher.fetch(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/logo.png",
        "http://127.0.0.1:8000/admin/",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file://evil.example.com/static/css/portal.css",
        "file:///static/css/portal.css%00.png",
        "file:///static/css/",
        "file:///static/css/missing.css",
        "data:text/html,<h1>x</h1>",
    ],
)
def test_everything_but_a_static_file_or_an_embedded_image_is_refused(url):
    with pytest.raises(Exception, match="static files|disallowed"):
        _fetcher().fetch(url)


def test_a_static_file_is_served_by_its_relative_path_or_its_static_url():
    expected = (static_dir() / "css" / "portal.css").read_bytes()
    for url in (
        f"{static_dir().as_uri()}/css/portal.css",
        "file:///static/css/portal.css",
        "file:///static/css/./x/../portal.css",
    ):
        response = _fetcher().fetch(url)
        assert response.read() == expected and response.content_type == "text/css"
        response.close()


def test_an_embedded_image_is_allowed():
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, format="PNG")
    response = _fetcher().fetch("data:image/png;base64," + base64.b64encode(buf.getvalue()).decode())
    assert response.read() == buf.getvalue()


def test_render_pdf_renders_a_template_and_skips_what_it_may_not_fetch(tmp_path, settings):
    (tmp_path / "doc.html").write_text(
        '<html><body><p>Hello</p><img src="/static/%2e%2e/%2e%2e/etc/passwd"><img src="https://example.com/x.png">'
        '<link rel="stylesheet" href="/static/css/portal.css"></body></html>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    pdf = render_pdf("doc.html", {})
    assert pdf.startswith(b"%PDF-")
