import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from sector.core.formatting import duration

SESSION_STARTED = "_sector_started"
SESSION_SEEN = "_sector_seen"


def idle_text() -> str:
    """The idle limit as people read it: "30 minutes" (seconds only when a test sets it under a minute)."""
    idle = settings.SESSION_IDLE_TIMEOUT
    return duration(idle, "minutes" if idle.total_seconds() >= 60 else "seconds")


def session_limits(request, now: float | None = None) -> dict[str, int]:
    """Seconds until this session ends for idleness and for its absolute limit, counted from now.

    The page uses them to warn a minute before (WCAG 2.2.1) and the keep-alive endpoint returns them fresh.
    """
    now = time.time() if now is None else now
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
    seen = request.session.get(SESSION_SEEN, now)
    started = request.session.get(SESSION_STARTED, now)
    return {
        "idle_seconds": int(idle),
        "idle_ends_in": max(int(seen + idle - now), 0),
        "absolute_ends_in": max(int(started + absolute - now), 0),
        "warning_seconds": int(settings.SESSION_WARNING_SECONDS),
    }


def _back_to(request) -> str:
    """Where sign-in leads back to: this page, or for a form sent after the session ended (a POST, an htmx
    request), the page the form was on, so what the user typed (kept by the page) can be put back there."""
    if request.method != "GET" or request.headers.get("HX-Request"):
        came_from = request.headers.get("HX-Current-URL") or request.headers.get("Referer") or ""
        if url_has_allowed_host_and_scheme(came_from, allowed_hosts={request.get_host()}):
            parts = urlsplit(came_from)
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.path


class SessionTimeoutMiddleware:
    """Sign a user out after SESSION_IDLE_TIMEOUT without a request, or SESSION_ABSOLUTE_TIMEOUT after sign-in.

    Small enough to own: the libraries for this either handle only one of the two limits or add JavaScript.
    The limits are read on every request, so a changed setting (or a test's) holds at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            idle = settings.SESSION_IDLE_TIMEOUT
            now = time.time()
            started = request.session.get(SESSION_STARTED)
            seen = request.session.get(SESSION_SEEN)
            if started is None:
                request.session[SESSION_STARTED] = now
                started = now
            expired_idle = seen is not None and now - seen > idle.total_seconds()
            expired_absolute = now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if expired_idle or expired_absolute:
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {idle_text()} without activity. Sign in again to continue."
                    if expired_idle
                    else f"Sessions last at most {duration(settings.SESSION_ABSOLUTE_TIMEOUT, 'hours')}. "
                    "Sign in again to continue.",
                )
                sign_in = f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': _back_to(request)})}"
                if request.headers.get("HX-Request"):
                    response = redirect(reverse(settings.LOGIN_URL))
                    response["HX-Redirect"] = sign_in
                    return response
                return redirect(sign_in)
            request.session[SESSION_SEEN] = now
        return self.get_response(request)
