from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "sector.feed"
    label = "feed"
    verbose_name = "Back Office feed"

    def ready(self):
        from sector.core.registry import NavItem, home_panels, nav_items

        from . import panels

        nav_items.register(
            NavItem(
                "Feed",
                "feed:batch_list",
                order=50,
                perms=("feed.view_batch", "feed.view_feedexception"),
                match_prefix="/feed/",
            )
        )
        home_panels.register(panels.feed_health_panel, order=20)
        from sector.core.registry import demo_seeders

        from .outage_demo import seed_outages

        demo_seeders.register(seed_outages, key="outages", order=70)
        nav_items.register(
            NavItem("Outages", "feed:burndown", order=52, perms=("feed.view_outage",), match_prefix="/feed/burndown/")
        )

        from .custody import DELIVERIES
        from .registry import overdue_hops

        overdue_hops.register(DELIVERIES, order=30)

        from sector.core.metrics import metric_sources

        from . import (
            outages,
            outbox_housekeeping,  # noqa: F401 - registers its Celery task in every process
        )

        outages.connect()  # stores an outage when a destination pauses, a feed gap when its batch ends it
        from .metrics import feed_metrics

        metric_sources.register(feed_metrics, key="feed", order=10)

        from sector.core.retention import record_classes

        from .retention import exception_class

        record_classes.register(exception_class, order=30)
