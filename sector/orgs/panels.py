"""Home-page panels the reference data contributes."""

from sector.core.permissions import organizations_with

from .models import Person
from .selectors import program_summary


def program_panel(request):
    user = request.user
    if organizations_with(user, "orgs.view_agency", "agency") is not None:  # for who sees every agency
        return None
    return {"template": "orgs/panels/program.html", "summary": program_summary()}


def people_panel(request):
    """For an agency's LASA or a court's staff: the people on record for their organizations."""
    user = request.user
    agencies = organizations_with(user, "orgs.view_person", "agency")
    courts = organizations_with(user, "orgs.view_person", "court")
    if agencies is None or courts is None or not (agencies or courts):  # statewide, or nobody's people to show
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
