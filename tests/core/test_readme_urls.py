"""The README's addresses are the portal's real ones: each path it names resolves in the URLconf."""

import re
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

README = Path(__file__).resolve().parents[2] / "README.md"
# Placeholders the README writes in paths, and an example value of the right form for each.
EXAMPLES = {"ORI": "WA0340100", "ori": "WA0340100", "code": "D34", "batch_id": "DEMO-001", "token": "abc123"}
# Backticked text that starts with "/" but is a file or an outside address, not a portal page.
NOT_PAGES = ("/usr/", "/work/", "/shared/", "/tmp/", "/var/", "/etc/")


def readme_paths(text: str) -> list[str]:
    """Every portal path the README names: `/in/backticks/`, "GET /api/..." and paths in its code blocks that
    begin like a page address."""
    found = re.findall(r"`(/[^`\s]*)`", text)
    found += re.findall(r"\b(?:GET|POST|PUT|PATCH|DELETE) (/[^\s`)]+)", text)
    for block in re.findall(r"```.*?```", text, flags=re.S):
        found += re.findall(r"(?<![\w./-])(/(?:[a-z][\w-]*/)+)(?=[\s,;)]|$)", block)
    return [p for p in dict.fromkeys(found) if not p.startswith(NOT_PAGES)]


def example(path: str) -> str:
    def value(m):
        name = m.group(1).split(":")[-1]
        return EXAMPLES.get(name, "1")

    return re.sub(r"<([^>]+)>", value, path).split("?")[0]


def test_the_readme_names_paths():
    paths = readme_paths(README.read_text())
    assert "/courts/intake/" in paths and len(paths) > 20


@pytest.mark.parametrize("path", readme_paths(README.read_text()))
def test_each_readme_path_resolves(path):
    try:
        resolve(example(path))
    except Resolver404:
        pytest.fail(f"README.md names {path}, which is not an address of the portal")
