"""Shared courthouse PCs: no page a signed-in person saw may be kept by the browser or a proxy (issue 12)."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRIVATE = "private, no-store"


@pytest.mark.parametrize("persona", ["clerk", "wsp", "admin"])
def test_authenticated_pages_are_not_stored(world, persona):
    response = world.client_for(persona).get(reverse("home"))
    assert response.status_code == 200 and response["Cache-Control"] == PRIVATE


def test_redirects_downloads_and_errors_of_a_signed_in_user_are_not_stored_either(world):
    client = world.client_for("clerk")
    assert client.get("/no-such-page/")["Cache-Control"] == PRIVATE  # 404
    assert client.get(reverse("collisions:review_queue"))["Cache-Control"] == PRIVATE  # 403
    assert client.get("/admin/")["Cache-Control"] == PRIVATE  # the admin's redirect


def test_a_view_that_allowed_caching_is_overridden_for_a_signed_in_user_only(world, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from sector.core.middleware import PrivateCacheMiddleware

    def view(request):
        response = HttpResponse("ok")
        response["Cache-Control"] = "public, max-age=3600"
        return response

    request = rf.get("/")
    request.user = world.users["clerk"]
    assert PrivateCacheMiddleware(view)(request)["Cache-Control"] == PRIVATE
    request.user = AnonymousUser()
    assert PrivateCacheMiddleware(view)(request)["Cache-Control"] == "public, max-age=3600"


def test_anonymous_pages_and_static_files_are_unaffected(world):
    client = Client()
    login = client.get(reverse("login"))  # Django's own never_cache header, left as it is
    assert login.status_code == 200 and login["Cache-Control"] != PRIVATE
    assert client.get(reverse("healthz"))["Cache-Control"] != PRIVATE
    static = world.client_for("clerk").get("/static/css/portal.css")
    assert static.status_code == 200 and "no-store" not in static.get("Cache-Control", "")
