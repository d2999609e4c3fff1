from django.apps import AppConfig


class CollisionsConfig(AppConfig):
    name = "collisions"
    label = "collisions"
    verbose_name = "Collision reports"

    def ready(self):
        from sector.core.registry import NavItem, demo_seeders, home_panels, nav_items
        from sector.feed import outbox  # noqa: F401 - registers the outbox's Celery tasks in every process
        from sector.feed.registry import record_handlers, record_viewed

        from .demo_seed import seed_collisions
        from .ingest import ingest_collisions
        from .panels import review_panel
        from .services import delivery_viewed

        record_handlers.register(ingest_collisions, key="collision")
        record_viewed.register(delivery_viewed, key="collision")

        from sector.feed.registry import overdue_hops

        from .custody import overdue_source

        overdue_hops.register(overdue_source(), order=20)
        demo_seeders.register(seed_collisions, key="collisions", order=60)
        home_panels.register(review_panel, order=30)

        from sector.core.metrics import metric_sources

        from .metrics import review_metrics

        metric_sources.register(review_metrics, key="review", order=30)
        nav_items.register(
            NavItem(
                "Collisions",
                "collisions:review_queue",
                order=35,
                perms=("collisions.view_collisionreport",),
                match_prefix="/collisions/",
            )
        )

        from sector.core.partitions import log_year_class
        from sector.core.retention import record_classes

        record_classes.register(
            log_year_class("collisions_accesslog", "collisions.accesslog", "Collision report access log (by year)"),
            order=910,
        )
