import importlib
from pathlib import Path

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.conftest import PERSONAS
from tests.factories import run_seed_demo
from tests.matrix import EXTRA_PERSONAS, LOGIN, Case


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


class _Rollback(Exception):
    pass


def _answer(world, case, url, persona):
    """One persona's request, rolled back afterwards so every persona meets the same data."""
    client = world.client_for(persona)
    data = case.data(world) if callable(case.data) else case.data
    call = getattr(client, case.method)
    try:
        with transaction.atomic():
            response = call(url, data=data) if data is not None else call(url)
            raise _Rollback
    except _Rollback:
        pass
    return response


def _mismatch(expected, response) -> str | None:
    if expected == LOGIN:
        if response.status_code != 302 or not response["Location"].startswith(reverse("login")):
            return f"got {response.status_code} {response.get('Location', '')}, designed 302 to sign-in"
    elif isinstance(expected, str):
        if response.status_code != 302 or response["Location"] != expected:
            return f"got {response.status_code} {response.get('Location', '')}, designed 302 to {expected}"
    elif response.status_code != expected:
        return f"got {response.status_code}, designed {expected}"
    return None


@pytest.mark.parametrize("url_name", sorted(EXPECTATIONS))
def test_matrix(url_name, world):
    """Every persona × this URL gets its designed answer (200, 302 to sign-in, 403, 404, 405)."""
    case = EXPECTATIONS[url_name]
    kwargs = case.kwargs(world) if callable(case.kwargs) else case.kwargs
    url = reverse(url_name, kwargs=kwargs)
    problems = []
    extra = [p for p in EXTRA_PERSONAS if p in case.expect]  # opt-in personas (the two-organization user)
    for persona in extra:
        EXTRA_PERSONAS[persona](world)
    for persona in (*PERSONAS, *extra):
        problem = _mismatch(case.answer_for(persona), _answer(world, case, url, persona))
        if problem:
            problems.append(f"{persona:>9} {case.method.upper()} {url}: {problem}")
    assert not problems, "\n".join(problems)


ADMIN_MODELS = sorted(f"{m._meta.app_label}_{m._meta.model_name}" for m in admin.site._registry)


@pytest.mark.parametrize("page", ["admin:index", *[f"admin:{m}_changelist" for m in ADMIN_MODELS]])
def test_admin_is_for_administrators_only(page, world):
    """The Django admin: superusers get every page; everyone else is sent to a sign-in page."""
    for persona in PERSONAS:
        response = world.client_for(persona).get(reverse(page))
        if persona == "admin":
            assert response.status_code == 200, page
        elif persona == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith((reverse("login"), reverse("admin:login")))
        else:
            assert response.status_code == 302, f"{persona} {page}"
            assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_admin_add_and_change_pages_render_for_every_model(world):
    """Every admin form (inlines, autocompletes, read-only views) renders for a superuser."""

    from sector.core.audit import log_action

    run_seed_demo()
    log_action("core.test.done", obj=world.agency_a)
    world.users["admin"].refresh_from_db()  # seed_demo set the demo password
    client = world.client_for("admin")
    for model, model_admin in admin.site._registry.items():
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        obj = model._default_manager.first()
        if obj is not None:
            response = client.get(reverse(f"{name}_change", args=[obj.pk]))
            assert response.status_code == 200, f"{name}_change: {response.status_code}"
        if model_admin.has_add_permission(type("R", (), {"user": world.users["admin"]})()):
            assert client.get(reverse(f"{name}_add")).status_code == 200, f"{name}_add"
