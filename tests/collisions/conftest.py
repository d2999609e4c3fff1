import pytest

from tests.feed.factories import FeedClient


@pytest.fixture
def feed(world):
    return FeedClient()
