import pytest

from tests.outbox.loopback import Loopback


@pytest.fixture
def loopback():
    server = Loopback()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _forget_celery_pools():
    """Eager publishing caches a producer pool on the app (memory transport); drop it after each test so a later
    test that points the app at another broker really connects there."""
    yield
    from sector.celery import app

    app._pool = None
    app.amqp._producer_pool = None
