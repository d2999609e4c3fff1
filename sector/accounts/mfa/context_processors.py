from .policy import mfa_required, session_passed


def second_factor(request):
    """`mfa_pending`: signed in with the password but not yet through the second factor (base.html then shows
    no navigation, only sign-out)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or session_passed(request):
        return {"mfa_pending": False}
    return {"mfa_pending": mfa_required(user)}
