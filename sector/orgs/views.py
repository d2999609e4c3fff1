from django.shortcuts import render
from django.views.decorators.http import require_GET

from sector.accounts.models import Membership
from sector.core.pagination import keyset_page
from sector.core.permissions import can, get_in_scope_or_404, require_perm

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
        .prefetch_related("roles")
        .order_by("user__last_name", "user__username")
    )


def _directory(request, *, model, filter_class, fields, name):
    """A filtered, keyset-paginated directory of the organizations in the user's scope (htmx: rows only)."""
    require_perm(request.user, f"orgs.view_{name}")
    filterset = filter_class(request.GET, queryset=model.objects.restrict(request.user).only(*fields))
    page = keyset_page(filterset.qs, order=("name", "id"), cursor=request.GET.get("cursor"), size=PAGE_SIZE)
    template = f"orgs/partials/{name}_rows.html" if request.htmx else f"orgs/{name}_list.html"
    return render(request, template, {"filter": filterset, "page": page})


def _organisation_page(request, org, name):
    """One agency or court with its people, its portal users (for those who manage them) and its history."""
    return render(
        request,
        f"orgs/{name}_detail.html",
        {
            name: org,
            "people": _people(request.user, **{name: org}),
            # Portal users of this organization: for whom a role grants it here (a LASA elsewhere sees none).
            "members": _members(name, org) if can(request.user, "accounts.view_membership", org) else None,
        },
    )


@require_GET
def agency_list(request):
    fields = ("ori", "name", "county", "kind", "records_system", "active")
    return _directory(request, model=Agency, filter_class=AgencyFilter, fields=fields, name="agency")


@require_GET
def agency_detail(request, ori):
    agency = get_in_scope_or_404(request.user, Agency, "orgs.view_agency", ori=ori.upper())
    return _organisation_page(request, agency, "agency")


@require_GET
def court_list(request):
    fields = ("code", "name", "county", "kind", "accepts_etickets")
    return _directory(request, model=Court, filter_class=CourtFilter, fields=fields, name="court")


@require_GET
def court_detail(request, code):
    court = get_in_scope_or_404(request.user, Court, "orgs.view_court", code=code.upper())
    return _organisation_page(request, court, "court")


@require_GET
def contacts(request):
    return render(request, "orgs/contacts.html", {"contacts": ProgramContact.objects.all()})
