import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from sector.core.pagination import keyset_page
from sector.core.permissions import get_in_scope_or_404
from sector.orgs.models import Agency, Court, Person
from tests.factories import AgencyFactory, CourtFactory, PersonFactory


@pytest.mark.django_db
def test_restrict_limits_rows_to_the_users_organisations(world):
    PersonFactory(agency=world.agency_a)
    PersonFactory(agency=world.agency_b)
    lasa = world.users["lasa"]
    assert list(Agency.objects.restrict(lasa)) == [world.agency_a]
    assert set(Person.objects.restrict(lasa).values_list("agency", flat=True)) == {world.agency_a.pk}
    assert list(Court.objects.restrict(world.users["clerk"])) == [world.court_a]
    assert Agency.objects.restrict(world.users["waspc"]).count() == 2
    assert Agency.objects.restrict(world.users["outsider"]).count() == 0


@pytest.mark.django_db
def test_deactivated_users_reach_nothing(world):
    lasa = world.users["lasa"]
    lasa.is_active = False
    lasa.save()
    lasa.refresh_from_db()
    assert Agency.objects.restrict(lasa).count() == 0


@pytest.mark.django_db
def test_out_of_scope_is_404_before_permission_is_403(world):
    with pytest.raises(Http404):
        get_in_scope_or_404(world.users["lasa2"], Agency, "orgs.view_agency", ori=world.agency_a.ori)
    # The clerk has no agency in scope: 404, not 403, so existence does not leak.
    with pytest.raises(Http404):
        get_in_scope_or_404(world.users["clerk"], Agency, "orgs.view_agency", ori=world.agency_a.ori)
    # In scope, but the role lacks the permission: 403.
    with pytest.raises(PermissionDenied):
        get_in_scope_or_404(world.users["officer"], Agency, "orgs.change_agency", ori=world.agency_a.ori)
    assert get_in_scope_or_404(world.users["lasa"], Agency, "orgs.view_agency", ori=world.agency_a.ori)


@pytest.mark.django_db
def test_keyset_pages_cover_every_row_once_and_tampered_cursors_start_over(world):
    AgencyFactory.create_batch(120, name="Same Name PD")  # ties on name: the id breaks them
    seen, cursor, pages = [], None, 0
    while True:
        page = keyset_page(Agency.objects.all(), order=("name", "id"), cursor=cursor, size=25)
        seen += [a.pk for a in page]
        pages += 1
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert pages == 5 and len(seen) == len(set(seen)) == Agency.objects.count()
    first = keyset_page(Agency.objects.all(), order=("name", "id"), cursor="forged:token", size=25)
    assert first.is_first and len(first) == 25


@pytest.mark.django_db
@pytest.mark.parametrize("url, factory", [("/orgs/agencies/", AgencyFactory), ("/orgs/courts/", CourtFactory)])
def test_directory_pages_use_the_same_number_of_queries_at_any_size(world, django_assert_num_queries, url, factory):
    client = world.client_for("waspc")
    client.get(url)  # warm up the session
    factory.create_batch(5)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    factory.create_batch(150)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large) == len(small) <= 10
    assert response.content.decode().count('rel="next"') == 1
    # Page two via the cursor link
    cursor = response.context["page"].next_cursor
    assert client.get(url, {"cursor": cursor}).status_code == 200


@pytest.mark.django_db
def test_agency_detail_queries_do_not_grow_with_its_people(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client_for("lasa")
    url = f"/orgs/agencies/{world.agency_a.ori}/"
    client.get(url)  # warm caches (content types, session)
    PersonFactory.create_batch(3, agency=world.agency_a)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    PersonFactory.create_batch(40, agency=world.agency_a)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small) <= 30


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"q": "<script>alert(1)</script>"},
        {"q": "x" * 5000},
        {"county": "Atlantis"},
        {"kind": "'; DROP TABLE orgs_agency; --"},
        {"cursor": "%%%%"},
        {"q": "\x00"},
    ],
)
def test_hostile_filters_never_500(world, query):
    response = world.client_for("waspc").get("/orgs/agencies/", query)
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


@pytest.mark.django_db
def test_htmx_filter_returns_just_the_rows(world):
    response = world.client_for("waspc").get("/orgs/agencies/", {"q": "Olympia"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "Olympia Police Department" in body and "Spokane" not in body
