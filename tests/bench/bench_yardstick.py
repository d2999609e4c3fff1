"""The harness itself: Yardstick P is a signed-in page (anonymous is sent to sign in), answered by gunicorn's two
workers, and the same page twice is about 1x itself."""

import pytest

from tests.bench.harness import Table, bench_server  # noqa: F401 - the fixture
from tests.bench.urls import YARDSTICK_P_URL
from tests.factories import CourtFactory, make_user


@pytest.mark.bench
def test_yardstick_p_is_a_signed_in_page(bench_server):  # noqa: F811 - the fixture
    clerk = make_user("bench-p", "court_clerk", court=CourtFactory(code="D34"))
    with bench_server.client() as anonymous:
        assert anonymous.get(YARDSTICK_P_URL).status_code == 302
    with bench_server.client(clerk) as http:
        page = http.get(YARDSTICK_P_URL)
        assert page.status_code == 200 and "Yardstick P" in page.text and "Sign out" in page.text
        again, p = bench_server.compare(http, YARDSTICK_P_URL, n=25)
    table = Table("yardstick")
    table.row("Yardstick P against itself", again, p, target=1.5)
    table.note(f"P: {p}")
    table.print()
    table.assert_all()
