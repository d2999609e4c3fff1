from sector.feed.models import Batch, FeedException
from tests.feed.factories import store_tickets, ticket
from tests.matrix import Case, allow


def _exception(w):
    store_tickets([ticket(court_code="X99")])
    return {"pk": FeedException.objects.latest("id").pk}


def _batch(w):
    store_tickets([ticket()])
    return {"pk": Batch.objects.latest("id").pk}


EXPECTATIONS = {
    # The API answers by token only: no session, never a redirect to the sign-in page.
    "feed:api_batches": Case(method="post", data={}, default=401, anonymous=401),
    "feed:api_batch_detail": Case(kwargs={"batch_id": "X"}, default=401, anonymous=401),
    "feed:batch_list": Case(expect=allow("admin", "wsp")),
    "feed:batch_detail": Case(kwargs=_batch, expect=allow("admin", "wsp"), default=404),
    "feed:exception_list": Case(expect=allow("admin", "wsp")),
    "feed:overdue_hops": Case(expect=allow("admin", "wsp")),
    "feed:exception_detail": Case(kwargs=_exception, expect=allow("admin", "wsp"), default=404),
    "feed:exception_reprocess": Case(
        kwargs=_exception, method="post", data={}, expect={"admin": 302, "wsp": 302}, default=404
    ),
    "feed:exception_dismiss": Case(
        kwargs=_exception, method="post", data={"note": "x"}, expect={"admin": 302, "wsp": 302}, default=404
    ),
    "feed:exception_reprocess_bulk": Case(
        method="post", data={}, expect={"admin": "/feed/exceptions/", "wsp": "/feed/exceptions/"}
    ),
    "feed:credential_list": Case(expect=allow("admin", "wsp")),
    "feed:credential_detail": Case(
        kwargs=lambda w: {"pk": __import__("sector.feed.services", fromlist=["x"]).credential_create(system="M")[0].pk},
        expect=allow("admin", "wsp"),
        default=404,
    ),
    "feed:credential_revoke": Case(
        kwargs=lambda w: {"pk": __import__("sector.feed.services", fromlist=["x"]).credential_create(system="M")[0].pk},
        method="post",
        data={},
        expect={"admin": "/feed/credentials/", "wsp": "/feed/credentials/"},
        default=404,
    ),
}
