"""The offline half of the dependency check: requirements/advisories.toml against the lock files and the floors
in pyproject.toml. (`make audit` runs pip-audit against the lock where a vulnerability service is reachable.)"""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCKS = [ROOT / "requirements" / "runtime.lock", ROOT / "requirements" / "test.lock"]
ADVISORIES = tomllib.loads((ROOT / "requirements" / "advisories.toml").read_text())["advisory"]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.MULTILINE)


def pins(text: str) -> dict[str, Version]:
    return {canonicalize_name(name): Version(version) for name, version in _PIN.findall(text)}


def affecting(pinned: dict[str, Version]) -> list[str]:
    """The advisories a set of pins is exposed to, as 'package==version: id'."""
    found = []
    for adv in ADVISORIES:
        version = pinned.get(canonicalize_name(adv["package"]))
        if version is not None and any(version in SpecifierSet(r, prereleases=True) for r in adv["affected"]):
            found.append(f"{adv['package']}=={version}: {adv['id']} (fixed in {adv['fixed']})")
    return found


def direct_requirements() -> list[Requirement]:
    deps = list(PYPROJECT["project"]["dependencies"])
    for extra in PYPROJECT["project"]["optional-dependencies"].values():
        deps += extra
    return [Requirement(d) for d in deps]


def floor(req: Requirement) -> Version | None:
    lows = [Version(s.version) for s in req.specifier if s.operator in (">=", "==", "~=")]
    return max(lows) if lows else None


def test_every_advisory_is_complete_and_well_formed():
    assert ADVISORIES
    for adv in ADVISORIES:
        assert {"package", "id", "summary", "affected", "fixed", "source"} <= set(adv), adv
        assert re.fullmatch(r"(CVE-\d{4}-\d{4,}|GHSA(-[23456789cfghjmpqrvwx]{4}){3}|PYSEC-\d{4}-\d+)", adv["id"]), adv
        assert adv["source"] in ("known", "reported", "cited-in-repo")
        assert Version(adv["fixed"]) not in SpecifierSet(",".join(adv["affected"][:1]), prereleases=True)
        for spec in adv["affected"]:
            SpecifierSet(spec)  # parses


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.name)
def test_the_lock_pins_no_version_with_a_known_advisory(lock):
    assert affecting(pins(lock.read_text())) == []


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: p.name)
def test_the_lock_pins_every_package_with_hashes(lock):
    text = lock.read_text()
    blocks = [b for b in re.split(r"\n(?=[A-Za-z0-9])", text) if _PIN.match(b)]
    assert blocks and all("--hash=sha256:" in b for b in blocks)
    locked = pins(text)
    wanted = PYPROJECT["project"]["dependencies"] + (
        PYPROJECT["project"]["optional-dependencies"]["test"] if lock.name == "test.lock" else []
    )
    for req in map(Requirement, wanted):
        name = canonicalize_name(req.name)
        assert name in locked, f"{req.name} is in pyproject.toml but not in {lock.name}: run make lock"
        assert locked[name] in req.specifier, f"{lock.name} pins {req.name}=={locked[name]} outside {req.specifier}"


def test_runtime_and_test_locks_agree_on_every_shared_pin():
    runtime, test = (pins(p.read_text()) for p in LOCKS)
    assert {n: v for n, v in runtime.items() if test.get(n) != v} == {}


def test_no_floor_admits_a_version_with_a_known_advisory():
    problems = []
    for req in direct_requirements():
        low = floor(req)
        for adv in ADVISORIES:
            if canonicalize_name(adv["package"]) != canonicalize_name(req.name):
                continue
            if low is None or any(low in SpecifierSet(r, prereleases=True) for r in adv["affected"]):
                problems.append(f"{req} admits {adv['id']} (fixed in {adv['fixed']})")
    assert problems == []


def test_pillow_weasyprint_and_django_are_direct_dependencies_with_floors():
    names = {canonicalize_name(r.name): r for r in direct_requirements()}
    for name in ("pillow", "weasyprint", "django"):
        assert name in names and floor(names[name]) is not None


def test_the_check_fails_for_a_lock_that_pins_an_affected_version():
    bad = "django==5.2.7 \\\n    --hash=sha256:00\npillow==11.2.1 \\\n    --hash=sha256:00\nweasyprint==70.0\n"
    found = affecting(pins(bad))
    assert any("CVE-2025-64459" in f for f in found) and any("CVE-2025-48379" in f for f in found)
    assert not any(f.startswith("weasyprint") for f in found)
