from django.apps import AppConfig


class CourtsConfig(AppConfig):
    name = "courts"
    label = "courts"
    verbose_name = "Court intake"

    def ready(self):
        from citations.hooks import set_filing_calculator
        from sector.core.registry import NavItem, registry

        from .calendar import compute_filing

        set_filing_calculator(compute_filing)
        from . import panels
        from .demo import seed_intake

        registry.add_demo_seeder("court intake", seed_intake, order=60)
        registry.add_nav(
            NavItem(
                "Calendar",
                "courts:calendar",
                order=25,
                perms=("courts.add_courtclosure",),
                match_prefix="/courts/calendar/",
            )
        )
        registry.add_home_panel(panels.intake_panel, order=15)
        registry.add_nav(
            NavItem(
                "Intake", "courts:intake", order=20, perms=("citations.process_ticket",), match_prefix="/courts/intake/"
            )
        )
