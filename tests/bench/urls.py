"""The portal's URLs plus Yardstick P, for the bench gunicorn only (tests/bench/settings.py)."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_GET

from sector.urls import handler403, handler404, handler500  # noqa: F401
from sector.urls import urlpatterns as portal_urlpatterns

YARDSTICK_P_URL = "/bench/yardstick-p/"
_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Yardstick P{% endblock %}'
    "{% block content %}<h1>Yardstick P</h1><p>A signed-in page with no query of its own.</p>{% endblock %}"
)


@require_GET
def yardstick_p(request):
    """Yardstick P (issue 15): base.html for the signed-in user through every middleware and context processor,
    and nothing else: the view makes no query of its own."""
    return HttpResponse(_PAGE.render({}, request))


urlpatterns = [path(YARDSTICK_P_URL.strip("/") + "/", yardstick_p, name="bench_yardstick_p"), *portal_urlpatterns]
