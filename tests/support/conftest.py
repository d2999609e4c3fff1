import pytest

from sector.support.reference import ensure_reference


@pytest.fixture(autouse=True)
def support_reference(request):
    """Categories, priorities and opening hours come from a data migration; a browser test's flush (same xdist
    worker) empties them, so each support test puts them back (no-op when present)."""
    if "db" in request.fixturenames or "world" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        ensure_reference()
