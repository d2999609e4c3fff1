from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sector.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
