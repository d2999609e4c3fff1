from .selectors import clerk_dashboard


def intake_panel(request):
    """Clerk home: received today and this week, pending, oldest pending, late."""
    user = request.user
    if user.is_superuser or not user.has_perm("citations.process_ticket"):
        return None
    return {"template": "courts/panels/intake.html", "width": "col-md-6", "dash": clerk_dashboard(user)}
