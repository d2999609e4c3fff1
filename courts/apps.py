from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "courts"
    label = "courts"
    verbose_name = "Court intake"

    def ready(self):
        from citations.hooks import filing_calendar
        from sector.core.registry import NavItem, demo_seeders, home_panels, nav_items

        from . import panels
        from .calendar import compute_filing
        from .demo import seed_counter, seed_intake

        filing_calendar.register(compute_filing, key="courts")
        demo_seeders.register(seed_intake, key="court intake", order=60)
        demo_seeders.register(seed_counter, key="court counter", order=61)
        nav_items.register(
            NavItem(
                "Calendar",
                "courts:calendar",
                order=25,
                perms=("courts.add_courtclosure",),
                match_prefix="/courts/calendar/",
            )
        )
        nav_items.register(
            NavItem(
                "Counter",
                "courts:counter",
                order=22,
                perms=("citations.process_ticket",),
                match_prefix="/courts/counter/",
            )
        )
        home_panels.register(panels.intake_panel, order=15)

        from sector.core.metrics import metric_sources

        from .metrics import intake_metrics

        metric_sources.register(intake_metrics, key="intake", order=20)
        nav_items.register(
            NavItem(
                "Intake", "courts:intake", order=20, perms=("citations.process_ticket",), match_prefix="/courts/intake/"
            )
        )
