import pytest

from tests.feed.factories import FeedClient


@pytest.fixture
def feed(world):
    return FeedClient()


from tests.outbox.conftest import _forget_celery_pools  # noqa: E402, F401 - autouse here too
