from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sector.core"
    label = "core"
    verbose_name = "Platform"
