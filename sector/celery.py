"""The Celery app. Configuration comes from Django settings (CELERY_*); tasks are found in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sector.settings.dev")

app = Celery("sector")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
