from tests.collisions.factories import diagram, make_delivery, make_destination, make_release, make_report
from tests.matrix import Case, allow

_VIEWERS = ("admin", "wsp", "lasa", "lasa2", "reviewer", "officer")
# A report of agency A (its officer has no account link, so the officer persona does not see it: 404).
_SEE = {**allow("admin", "wsp", "lasa", "reviewer")}


def _report(w):
    return {"pk": make_report().pk}


def _with_diagram(w):
    r = make_report(diagram=diagram())
    return {"pk": r.pk, "version": 1}


def _release(w):
    rel = make_release(w)
    return {"pk": rel.report_id, "release_pk": rel.pk}


EXPECTATIONS = {
    "collisions:review_queue": Case(expect=allow(*_VIEWERS)),
    "collisions:dashboard": Case(expect=allow(*_VIEWERS)),
    "collisions:claim_next": Case(
        method="post", data=lambda w: {"agency": w.agency_a.pk}, expect={"admin": 302, "reviewer": 302}
    ),
    "collisions:report_detail": Case(kwargs=_report, expect=_SEE, default=404),
    "collisions:report_pdf": Case(kwargs=_report, expect=_SEE, default=404),
    "collisions:report_diagram": Case(kwargs=_with_diagram, expect=_SEE, default=404),
    "collisions:access_log": Case(
        kwargs=_report, expect={**allow("admin", "wsp", "lasa"), "reviewer": 403}, default=404
    ),
    "collisions:releases": Case(
        kwargs=_report, expect={**allow("admin", "lasa"), "reviewer": 403, "wsp": 403}, default=404
    ),
    "collisions:release_pdf": Case(
        kwargs=_release, expect={**allow("admin", "lasa"), "reviewer": 403, "wsp": 403}, default=404
    ),
    "collisions:report_action": Case(
        kwargs=lambda w: {"pk": make_report().pk, "action": "claim"},
        method="post",
        data={},
        expect={"admin": 302, "reviewer": 302, "lasa": 403, "wsp": 403},
        default=404,
    ),
    "outbox:destination_status": Case(expect=allow("admin", "wsp")),
    "outbox:delivery_list": Case(expect=allow("admin", "wsp")),
    # Issue 16: WSP support edits destinations and the agencies' review settings in the portal.
    "outbox:destination_edit": Case(
        kwargs=lambda w: {"code": make_destination("DOT").code}, expect=allow("admin", "wsp"), default=403
    ),
    "collisions:review_settings": Case(expect=allow("admin", "wsp")),
    "collisions:review_setting_edit": Case(kwargs=lambda w: {"ori": w.agency_a.ori}, expect=allow("admin", "wsp")),
    "outbox:delivery_detail": Case(
        kwargs=lambda w: {"pk": make_delivery(w).pk}, expect=allow("admin", "wsp"), default=404
    ),
    "outbox:delivery_retry": Case(
        method="post", data={}, expect={"admin": "/feed/outbox/deliveries/", "wsp": "/feed/outbox/deliveries/"}
    ),
}
