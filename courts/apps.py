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
        registry.add_nav(
            NavItem(
                "Intake", "courts:intake", order=20, perms=("citations.process_ticket",), match_prefix="/courts/"
            )
        )
