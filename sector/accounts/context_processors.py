from django.conf import settings

from sector.core.formatting import duration

from .middleware import idle_text, session_limits


def session_timeout(request):
    """The signed-in page's session limits, for the warning a minute before the idle timeout (static/js/portal.js)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    limits = session_limits(request)
    limits["idle_text"] = idle_text()
    limits["absolute_text"] = duration(settings.SESSION_ABSOLUTE_TIMEOUT, "hours")
    return {"session_limits": limits}
