import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

SESSION_STARTED = "_sector_started"
SESSION_SEEN = "_sector_seen"


class SessionTimeoutMiddleware:
    """Sign a user out after SESSION_IDLE_TIMEOUT without a request, or SESSION_ABSOLUTE_TIMEOUT after sign-in.

    Small enough to own: the libraries for this either handle only one of the two limits or add JavaScript.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        self.absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED)
            seen = request.session.get(SESSION_SEEN)
            if started is None:
                request.session[SESSION_STARTED] = now
                started = now
            expired_idle = seen is not None and now - seen > self.idle
            expired_absolute = now - started > self.absolute
            if expired_idle or expired_absolute:
                logout(request)
                messages.info(
                    request,
                    "You were signed out after 30 minutes without activity. Sign in again to continue."
                    if expired_idle
                    else "Sessions last at most 12 hours. Sign in again to continue.",
                )
                if request.headers.get("HX-Request"):
                    response = redirect(reverse(settings.LOGIN_URL))
                    response["HX-Redirect"] = f"{reverse(settings.LOGIN_URL)}?next={request.path}"
                    return response
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            request.session[SESSION_SEEN] = now
        return self.get_response(request)
