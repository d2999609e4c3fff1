"""The ticket page answers in a fixed number of queries (issue 15): however many versions, violations, history
entries, warnings and courts to transfer to; and the forms kept per process render exactly as crispy does."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms

from citations.models import Ticket
from courts.forms import AcceptForm, CorrectionForm, IntakeFilterForm, TransferForm
from sector.core import form_render
from sector.orgs.models import Court
from tests.factories import CourtFactory
from tests.feed.factories import make_ticket, store_tickets, ticket

# The page's own queries (ticket, versions, violations, two warnings, next in queue, the court's case-number
# form, the transfer courts, history) and the signed-in request's (session, user, device, roles, permissions).
DETAIL_MAX_QUERIES = 22


def _count(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(DETAIL_MAX_QUERIES) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_ticket_page_has_a_fixed_query_count(world, django_assert_max_num_queries):
    from courts import services

    c = world.client_for("clerk")
    plain = make_ticket()
    c.get(f"/courts/intake/tickets/{plain.pk}/")  # the session's first request stamps it; count the ones after
    few = _count(c, f"/courts/intake/tickets/{plain.pk}/", django_assert_max_num_queries)

    rec = ticket()
    rec["defendant"]["last_name"] = "SMITH"
    rec["violations"] = [{**rec["violations"][0], "description": f"Count {i}"} for i in range(6)]
    store_tickets([rec])
    for version in (2, 3, 4):  # amended three times and each applied: four versions, history entries
        store_tickets([{**rec, "version": version, "agency_case_number": f"OPD-26-{version:03d}"}])
        amended = Ticket.objects.get(ticket_number=rec["ticket_number"])
        services.ticket_apply_amendment(ticket=amended, actor=world.users["clerk"])
    for i in range(4):  # possible matches: the same name, about the same time, from other agencies' numbers
        other = ticket()
        other["defendant"]["last_name"] = "SMITH"
        store_tickets([other])
    for i in range(8):
        CourtFactory(code=f"T{i:02d}", name=f"Transfer Court {i}")
    busy = Ticket.objects.get(ticket_number=rec["ticket_number"])
    many = _count(c, f"/courts/intake/tickets/{busy.pk}/", django_assert_max_num_queries)
    page = c.get(f"/courts/intake/tickets/{busy.pk}/")
    assert page.context["warnings"] and len(page.context["versions"]) == 4
    assert many == few


def test_the_transfer_form_lists_courts_from_one_plain_query(world, django_assert_num_queries):
    t = make_ticket()
    with django_assert_num_queries(1):
        form = TransferForm(ticket=t)
        html = str(form["court"])
    expected = Court.objects.filter(accepts_etickets=True).exclude(pk=t.court_id).order_by("name", "id")
    for court in expected:
        assert f'<option value="{court.pk}">{court}</option>' in html
    assert f'value="{t.court_id}"' not in html
    valid = TransferForm({"court": str(expected[0].pk), "note": ""}, ticket=t)
    assert valid.is_valid() and valid.cleaned_data["court"] == expected[0]
    assert not TransferForm({"court": str(t.court_id)}, ticket=t).is_valid()  # never its own court


@pytest.mark.parametrize(
    "make", [lambda: AcceptForm(), lambda: AcceptForm(expected_form="D34-26-000123"), CorrectionForm]
)
def test_a_kept_form_renders_as_crispy_does(make):
    form_render.clear()
    first = form_render.render_crispy(make())
    again = form_render.render_crispy(make())
    assert first == again == as_crispy_form(make())


def test_forms_whose_inputs_differ_render_anew_and_bound_forms_are_never_kept(world):
    form_render.clear()
    a = form_render.render_crispy(AcceptForm(expected_form="D34-26-000001"))
    b = form_render.render_crispy(AcceptForm(expected_form="M34-26-000001"))
    assert "D34-26-000001" in a and "M34-26-000001" in b
    bound = AcceptForm({"case_number": "X" * 41})
    assert form_render.fingerprint(bound) is None
    assert "X" * 41 in form_render.render_crispy(bound)

    class QuerysetForm(forms.Form):
        court = forms.ModelChoiceField(queryset=Court.objects.all())

    assert form_render.fingerprint(QuerysetForm()) is None  # its choices are not known without the query
    CourtFactory(code="NEW1", name="A Court Added Later")
    t = make_ticket()
    assert "A Court Added Later" in form_render.render_crispy(TransferForm(ticket=t))


def test_a_kept_filter_field_shows_the_value_it_was_given(world):
    form_render.clear()
    courts = Court.objects.all()
    empty = IntakeFilterForm(None, courts=courts)
    smith = IntakeFilterForm({"q": "SMITH"}, courts=courts)
    doe = IntakeFilterForm({"q": "DOE"}, courts=courts)
    for form in (empty, smith, doe):
        assert form_render.render_crispy_field(form["q"]) == as_crispy_field(form["q"])
    assert 'value="SMITH"' in form_render.render_crispy_field(smith["q"])
    assert 'value="DOE"' in form_render.render_crispy_field(doe["q"])
    assert "SMITH" not in form_render.render_crispy_field(doe["q"])
