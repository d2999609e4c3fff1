"""The type check, enforced by the suite as well as by `make lint`: mypy (with the django-stubs plugin) over every
app's services.py and selectors.py, configured in pyproject.toml ([tool.mypy]), reports nothing."""

import os
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.typecheck


def _run(*args: str) -> tuple[str, str, int]:
    from mypy import api

    cwd = os.getcwd()
    os.chdir(ROOT)  # the config's file globs are relative to the project root
    try:
        return api.run(["--config-file", str(ROOT / "pyproject.toml"), *args])
    finally:
        os.chdir(cwd)


def test_every_services_and_selectors_module_is_checked():
    """The configured files are every app's services and selectors: a new app's modules are not left out."""
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]["files"]
    configured = {p for pattern in patterns for p in ROOT.glob(pattern)}
    apps = [ROOT / "citations", ROOT / "collisions", ROOT / "courts", ROOT / "sector"]
    present = {p for app in apps for name in ("services.py", "selectors.py") for p in app.rglob(name)}
    assert present, "no services or selectors found"
    missing = present - configured  # more may be configured (the policy: permissions.py, scope.py, backends.py)
    assert not missing, f"services or selectors not checked by mypy: {sorted(map(str, missing))}"


def test_services_and_selectors_are_typed_and_clean():
    stdout, stderr, status = _run("--no-incremental", "--cache-dir", os.devnull)
    assert status == 0, f"mypy found problems:\n{stdout}{stderr}"
    assert "Success: no issues found" in stdout
