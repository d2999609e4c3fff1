import re
import uuid

from .context import current_user_var, request_id_var, user_id_var

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Give every request an id the portal generates, for logs and the audit.

    Never the client's: anyone can send an X-Request-ID header, and an audit entry's request id must not be
    something a client chose (to collide with, or to impersonate, another request's entries). A well-formed
    incoming id is kept apart as `request.client_request_id`, for matching a proxy's logs, and written nowhere
    in the audit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.client_request_id = incoming if _SAFE_ID.match(incoming) else ""
        request.id = uuid.uuid4().hex
        token = request_id_var.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request.id
        return response


class CurrentUserMiddleware:
    """Expose the signed-in user to the audit log for changes made through generic doors (the admin)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        token = current_user_var.set(user)
        # The id only (never a name) for the logs and the tasks this request enqueues.
        id_token = user_id_var.set(user.pk if user is not None and user.is_authenticated else None)
        try:
            return self.get_response(request)
        finally:
            user_id_var.reset(id_token)
            current_user_var.reset(token)


class PrivateCacheMiddleware:
    """Pages a signed-in person saw are kept by no browser cache or proxy: courthouse PCs are shared, and the
    back button or a disk cache must not show the next person a defendant's or a collision party's details.

    Placed after authentication; static files never reach it (WhiteNoise answers them first) and anonymous
    pages keep whatever caching their views chose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
