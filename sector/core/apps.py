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
        from .partitions import log_year_class
        from .registry import NavItem, demo_seeders, nav_items
        from .retention import record_classes
        from .retention_demo import seed_retention

        record_classes.register(
            log_year_class("core_auditentry", "core.auditentry", "Audit log (by year)", holds_reach_entries=True),
            order=900,
        )
        demo_seeders.register(seed_retention, key="retention", order=95)
        nav_items.register(
            NavItem(
                "Records",
                "retention:period_list",
                order=85,
                perms=("core.view_retentionperiod",),
                match_prefix="/records/",
            )
        )
