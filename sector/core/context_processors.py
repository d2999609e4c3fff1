from django.conf import settings

from .registry import nav_items


def portal(request):
    """Navigation for the signed-in user's roles, and the portal name."""
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated:
        roles = user.role_names
        path = request.path
        for item in nav_items:
            if item.visible_to(user, roles):
                active = bool(item.match_prefix) and path.startswith(item.match_prefix)
                nav.append({"item": item, "active": active})
    return {"portal_name": settings.PORTAL_NAME, "nav_items": nav}
