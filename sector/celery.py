"""The Celery app. Configuration comes from Django settings (CELERY_*); tasks are found in each app's tasks.py."""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sector.settings.dev")

app = Celery("sector")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _use_django_logging(**kwargs):
    """Workers and beat log through Django's LOGGING (JSON lines with the request/task/batch ids in production),
    not Celery's own handlers."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
