"""The layering, checked by a machine: import-linter's contracts (pyproject.toml) for Python, and the same
forbidden arrows for templates (`{% include %}` / `{% extends %}` across templates/<app>/)."""

import ast
import re
import tomllib
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
ROOT_PACKAGES = ("sector", "citations", "courts", "collisions")
PLATFORM = "sector.core"  # base.html, the error pages and includes/ are shared: the platform's
# Template folders that are not an app label: Django's auth views look in registration/.
FOLDER_APPS = {"registration": "sector.accounts", "includes": PLATFORM}

TAG_RE = re.compile(r"""\{%-?\s*(?:include|extends)\s+(["'])(?P<name>[^"']+)\1""")


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    return config["contracts"]


def _forbidden_arrows() -> set[tuple[str, str]]:
    """(importer, imported) module pairs some forbidden contract rules out."""
    arrows = set()
    for contract in _contracts():
        assert contract["type"] == "forbidden", "this test reads forbidden contracts only; extend it for others"
        for source in contract["source_modules"]:
            arrows |= {(source, target) for target in contract["forbidden_modules"]}
    return arrows


def _app_of(template_name: str) -> str:
    """The module whose layer a template (by its name under templates/) belongs to."""
    folder, sep, _ = template_name.partition("/")
    if not sep:
        return PLATFORM
    if folder in FOLDER_APPS:
        return FOLDER_APPS[folder]
    try:
        return apps.get_app_config(folder).name
    except LookupError:
        pytest.fail(f"templates/{folder}/ is no app's folder: name it after an app label or add it to FOLDER_APPS")


def _references() -> list[tuple[str, str]]:
    out = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".txt", ".xml", ".csv"):
            name = path.relative_to(TEMPLATES).as_posix()
            out += [(name, m["name"]) for m in TAG_RE.finditer(path.read_text(encoding="utf-8"))]
    return out


def _violations(references, forbidden) -> list[str]:
    return [
        f"{src} includes {dst} ({_app_of(src)} → {_app_of(dst)} is against the layering)"
        for src, dst in references
        if (_app_of(src), _app_of(dst)) in forbidden
    ]


def test_the_import_contracts_hold():
    from importlinter.cli import lint_imports

    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_every_app_is_placed_in_the_layering():
    placed = {m for c in _contracts() for m in (*c["source_modules"], *c["forbidden_modules"])}
    ours = {a.name for a in apps.get_app_configs() if a.path.startswith(str(ROOT)) and "site-packages" not in a.path}
    assert ours <= placed, f"apps no contract mentions: {sorted(ours - placed)}"


def test_templates_include_only_templates_the_layering_allows():
    references = _references()
    assert any(dst == "base.html" for _, dst in references)  # the parser sees the tags
    assert _violations(references, _forbidden_arrows()) == []


def test_a_template_against_the_arrows_is_caught():
    forbidden = _forbidden_arrows()
    bad = [
        ("citations/ticket_detail.html", "courts/ticket_detail.html"),  # citations → courts
        ("base.html", "feed/_health.html"),  # platform → feed
        ("collisions/report_detail.html", "citations/_ticket_facts.html"),  # collisions → citations
    ]
    assert len(_violations(bad, forbidden)) == 3
    allowed = [("courts/ticket_detail.html", "citations/_ticket_facts.html"), ("training/x.html", "includes/y.html")]
    assert _violations(allowed, forbidden) == []


def _app_module(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "sector" else parts[0]


def _private_cross_app_imports(path: Path, module: str) -> list[str]:
    """`from <another app> import _name` in the file at `path` (module name `module`)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or not node.module or node.level:
            continue
        if node.module.split(".")[0] in ROOT_PACKAGES and _app_module(node.module) != _app_module(module):
            out += [f"{module}: from {node.module} import {a.name}" for a in node.names if a.name.startswith("_")]
    return out


def test_no_app_imports_another_apps_private_names():
    found = []
    for package in ROOT_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found += _private_cross_app_imports(path, module)
    assert found == []


def test_a_private_cross_app_import_is_caught(tmp_path):
    path = tmp_path / "services.py"
    path.write_text("from citations.ingest import _typed_ticket_fields, queue_position\nfrom .models import _x\n")
    assert _private_cross_app_imports(path, "courts.services") == [
        "courts.services: from citations.ingest import _typed_ticket_fields"
    ]
