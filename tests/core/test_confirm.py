"""The one confirmation step: nothing happens on the first post; the page repeats the post with confirmed=1."""

from django.test import RequestFactory

from sector.core.confirm import confirmation_required, is_confirmed


def _post(data, **headers):
    request = RequestFactory().post("/courts/intake/accept/", data, **headers)
    request.user = type("U", (), {"is_authenticated": False})()
    request.htmx = bool(headers.get("HTTP_HX_REQUEST"))
    return request


def test_first_post_asks_and_repeats_every_field():
    request = _post({"ticket": ["1", "2"], "case_number": "CR-26-1"})
    response = confirmation_required(
        request, title="Accept 2 tickets", consequences=["Both are filed."], confirm_label="Accept", cancel_url="/x/"
    )
    assert response is not None and response.status_code == 200
    html = response.content.decode()
    assert 'name="ticket" value="1"' in html and 'name="ticket" value="2"' in html
    assert 'name="case_number" value="CR-26-1"' in html
    assert 'name="confirmed" value="1"' in html and "Both are filed." in html
    assert "<html" in html  # a whole page without JavaScript


def test_htmx_gets_the_fragment_only():
    request = _post({"ticket": "1"}, HTTP_HX_REQUEST="true")
    response = confirmation_required(request, title="T", consequences=[], confirm_label="Go", cancel_url="/x/")
    assert "<html" not in response.content.decode()


def test_confirmed_post_goes_through():
    request = _post({"ticket": "1", "confirmed": "1"})
    assert is_confirmed(request)
    assert confirmation_required(request, title="T", consequences=[], confirm_label="Go", cancel_url="/x/") is None
