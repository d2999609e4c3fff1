from .selectors import feed_health


def feed_health_panel(request):
    if not request.user.has_perm("feed.view_batch"):
        return None
    return {"template": "feed/panels/health.html", "width": "col-md-6", "health": feed_health()}
