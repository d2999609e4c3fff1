from .selectors import clerk_dashboard, user_court_ids


def intake_panel(request):
    """Clerk home: received today and this week, pending, oldest pending, late — for the courts where the user is
    a clerk (administrators and statewide roles have no court of their own: no panel)."""
    user = request.user
    if not user_court_ids(user):
        return None
    return {"template": "courts/panels/intake.html", "width": "col-md-6", "dash": clerk_dashboard(user)}
