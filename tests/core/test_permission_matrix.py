import importlib
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.conftest import PERSONAS
from tests.matrix import LOGIN, Case


def _collect_expectations() -> dict[str, Case]:
    merged: dict[str, Case] = {}
    root = Path(tests.__file__).parent
    for pkg in sorted(p.name for p in root.iterdir() if (p / "urls_matrix.py").exists()):
        module = importlib.import_module(f"tests.{pkg}.urls_matrix")
        for name, case in module.EXPECTATIONS.items():
            assert name not in merged, f"{name} has expectations in two urls_matrix.py files"
            merged[name] = case
    return merged


def _url_names(patterns=None, namespace="") -> set[str]:
    """Every named URL pattern, by its namespaced name (the admin is covered by its own test below)."""
    names: set[str] = set()
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            assert p.name, f"URL pattern {p.pattern} has no name: name it so the matrix can cover it"
            names.add(f"{namespace}{p.name}")
    return names


EXPECTATIONS = _collect_expectations()


def test_every_url_has_an_expectation():
    missing = sorted(_url_names() - set(EXPECTATIONS))
    assert not missing, f"URLs without a permission-matrix expectation: {missing}"
    stale = sorted(set(EXPECTATIONS) - _url_names())
    assert not stale, f"expectations for URLs that no longer exist: {stale}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", sorted(EXPECTATIONS))
def test_matrix(url_name, persona, world):
    case = EXPECTATIONS[url_name]
    kwargs = case.kwargs(world) if callable(case.kwargs) else case.kwargs
    url = reverse(url_name, kwargs=kwargs)
    client = world.client_for(persona)
    data = case.data(world) if callable(case.data) else case.data
    response = getattr(client, case.method)(url, data=data) if data is not None else getattr(client, case.method)(url)
    expected = case.answer_for(persona)
    if expected == LOGIN:
        assert response.status_code == 302, f"{persona} {case.method.upper()} {url}: {response.status_code}"
        assert response["Location"].startswith(reverse("login")), response["Location"]
    elif isinstance(expected, str):
        assert response.status_code == 302, f"{persona} {case.method.upper()} {url}: {response.status_code}"
        assert response["Location"] == expected, response["Location"]
    else:
        assert response.status_code == expected, (
            f"{persona} {case.method.upper()} {url}: got {response.status_code}, designed {expected}"
        )


ADMIN_MODELS = sorted(f"{m._meta.app_label}_{m._meta.model_name}" for m in admin.site._registry)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", ["admin:index", *[f"admin:{m}_changelist" for m in ADMIN_MODELS]])
def test_admin_is_for_administrators_only(page, persona, world):
    """The Django admin: superusers get every page; everyone else is sent to the admin sign-in."""
    response = world.client_for(persona).get(reverse(page))
    if persona == "admin":
        assert response.status_code == 200, page
    elif persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith((reverse("login"), reverse("admin:login")))
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
