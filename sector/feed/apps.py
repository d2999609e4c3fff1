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

        from .custody import DELIVERIES
        from .registry import overdue_hops

        overdue_hops.register(DELIVERIES, order=30)

        from sector.core.metrics import metric_sources

        from . import outbox_housekeeping  # noqa: F401 - registers its Celery task in every process
        from .metrics import feed_metrics

        metric_sources.register(feed_metrics, key="feed", order=10)
