"""The benchmarks' gunicorn (tests/bench/harness.py): the test settings, production's persistent database
connections (DB_CONN_MAX_AGE, 60 s by default) and a URL configuration that adds Yardstick P to the portal's.
Used only by the bench harness; no production URL changes."""

from sector.settings.env import env_int
from sector.settings.test import *  # noqa: F403

DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)  # noqa: F405 - as in production
ROOT_URLCONF = "tests.bench.urls"
