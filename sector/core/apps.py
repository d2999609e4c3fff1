from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sector.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self):
        from . import (
            celery_context,  # noqa: F401 - carries the log context from a request into its tasks
            checks,  # noqa: F401 - registers the system checks
        )
