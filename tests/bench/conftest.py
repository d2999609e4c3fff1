"""Benchmarks (make bench): PostgreSQL only, figures printed beside PERFORMANCE.md's yardsticks."""

import os

import pytest
from django.conf import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _postgres_only():
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("benchmarks run on PostgreSQL")
