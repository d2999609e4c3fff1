"""Home-page panels the reference data contributes."""

from sector.accounts.roles import STATEWIDE_ROLES

from .models import Person
from .selectors import program_summary


def program_panel(request):
    user = request.user
    if not (user.is_superuser or user.role_names & STATEWIDE_ROLES):
        return None
    return {"template": "orgs/panels/program.html", "summary": program_summary()}


def people_panel(request):
    """For an agency's LASA or a court's staff: the people on record for their organizations."""
    user = request.user
    if user.is_superuser or user.role_names & STATEWIDE_ROLES or not user.has_perm("orgs.view_person"):
        return None
    people = Person.objects.restrict(user)
    return {
        "template": "orgs/panels/people.html",
        "width": "col-md-6",
        "active": people.filter(active=True).count(),
        "with_account": people.filter(active=True, user__isnull=False).count(),
    }


def help_panel(request):
    return {"template": "orgs/panels/help.html", "width": "col-md-6"}
