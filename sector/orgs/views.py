from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sector.accounts.models import Membership
from sector.core.pagination import keyset_page
from sector.core.permissions import get_in_scope_or_404, require_perm

from .filters import AgencyFilter, CourtFilter
from .models import Agency, Court, Person, ProgramContact

PAGE_SIZE = 50


def _people(user, **org):
    if not user.has_perm("orgs.view_person"):
        return None
    return list(
        Person.objects.restrict(user).filter(**org).select_related("user").order_by("last_name", "first_name", "id")
    )


def _members(org_field, org):
    return list(
        Membership.objects.filter(**{org_field: org})
        .select_related("user")
        .prefetch_related(Prefetch("user__groups"))
        .order_by("user__last_name", "user__username")
    )


@require_GET
def agency_list(request):
    require_perm(request.user, "orgs.view_agency")
    filterset = AgencyFilter(
        request.GET,
        queryset=Agency.objects.restrict(request.user).only(
            "ori", "name", "county", "kind", "records_system", "active"
        ),
    )
    page = keyset_page(filterset.qs, order=("name", "id"), cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    template = "orgs/partials/agency_rows.html" if request.htmx else "orgs/agency_list.html"
    return render(request, template, {"filter": filterset, "page": page})


@require_GET
def agency_detail(request, ori):
    agency = get_in_scope_or_404(request.user, Agency, "orgs.view_agency", ori=ori.upper())
    return render(
        request,
        "orgs/agency_detail.html",
        {
            "agency": agency,
            "people": _people(request.user, agency=agency),
            "members": _members("agency", agency) if request.user.has_perm("accounts.view_membership") else None,
        },
    )


@require_GET
def court_list(request):
    require_perm(request.user, "orgs.view_court")
    filterset = CourtFilter(
        request.GET,
        queryset=Court.objects.restrict(request.user).only("code", "name", "county", "kind", "accepts_etickets"),
    )
    page = keyset_page(filterset.qs, order=("name", "id"), cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    template = "orgs/partials/court_rows.html" if request.htmx else "orgs/court_list.html"
    return render(request, template, {"filter": filterset, "page": page})


@require_GET
def court_detail(request, code):
    court = get_in_scope_or_404(request.user, Court, "orgs.view_court", code=code.upper())
    return render(
        request,
        "orgs/court_detail.html",
        {
            "court": court,
            "people": _people(request.user, court=court),
            "members": _members("court", court) if request.user.has_perm("accounts.view_membership") else None,
        },
    )


@require_GET
def contacts(request):
    return render(request, "orgs/contacts.html", {"contacts": ProgramContact.objects.all()})
