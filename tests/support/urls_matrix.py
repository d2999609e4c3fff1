from sector.support.models import Category, Priority
from tests.matrix import Case, allow, officer_answers_for_two_org
from tests.support.helpers import PNG, raise_request, upload

REQUESTERS = ("lasa", "lasa2", "officer", "clerk", "clerk2")
# A request of agency A: WSP and WASPC (statewide) and agency A's LASA and officer see it; agency A's collision
# reviewer is in scope without the permission (403); every other organization gets 404.
SEES_A = allow("admin", "wsp", "waspc", "lasa", "officer")


def _request_of_a(world):
    return {"pk": raise_request(world).pk}


def _attachment_of_a(world):
    sr = raise_request(world, files=[upload("screen.png", PNG)])
    return {"pk": sr.attachments.get().pk}


def _triage_data(world):
    return {"priority": Priority.objects.get(name="High").pk, "category": Category.objects.get(name="Other").pk}


HANDLER_POST = {**allow("admin", "wsp", code=302), "waspc": 403, "lasa": 403, "officer": 403, "reviewer": 403}

EXPECTATIONS = {
    "support:request_list": Case(expect=allow("admin", "wsp", "waspc", *REQUESTERS)),
    # The admin may open the form; it explains that requests are raised for an agency or a court.
    "support:request_create": Case(expect=allow("admin", *REQUESTERS)),
    "support:request_export": Case(expect=allow("admin", "wsp")),
    "support:dashboard": Case(expect=allow("admin", "wsp")),
    "support:request_detail": Case(kwargs=_request_of_a, expect={**SEES_A, "reviewer": 403}, default=404),
    "support:attachment_download": Case(kwargs=_attachment_of_a, expect={**SEES_A, "reviewer": 403}, default=404),
    "support:request_reply": Case(
        kwargs=_request_of_a,
        method="post",
        data={"body": "Any news?"},
        expect={**allow("admin", "wsp", "lasa", "officer", code=302), "waspc": 403, "reviewer": 403},
        default=404,
    ),
    "support:request_note": Case(
        kwargs=_request_of_a, method="post", data={"note": "Checked the logs."}, expect=HANDLER_POST, default=404
    ),
    "support:request_triage": Case(
        kwargs=_request_of_a, method="post", data=_triage_data, expect=HANDLER_POST, default=404
    ),
    "support:request_assign_me": Case(kwargs=_request_of_a, method="post", data={}, expect=HANDLER_POST, default=404),
    "support:request_status": Case(
        kwargs=_request_of_a, method="post", data={"status": "in_progress"}, expect=HANDLER_POST, default=404
    ),
}


# The two-organization user (LASA of B, officer of A) meets agency A's records as an officer.
officer_answers_for_two_org(EXPECTATIONS)
