from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "sector.onboarding"
    label = "onboarding"
    verbose_name = "Agency onboarding"

    def ready(self):
        from sector.accounts.services import role_gates
        from sector.core.registry import NavItem, demo_seeders, home_panels, nav_items

        from . import demo, panels
        from .lasa import services as lasa
        from .notices import services as notices
        from .survey import services as survey_services

        survey_services.survey_submitted.register(notices.notices_create)
        role_gates.register(lasa.officer_gate, key="onboarding.officer_training")
        demo_seeders.register(demo.seed_onboarding, key="onboarding", order=40)
        demo_seeders.register(demo.seed_go_live, key="onboarding go-live", order=47)  # after training (45)
        home_panels.register(panels.onboarding_panel, order=20)
        nav_items.register(
            NavItem(
                "Onboarding",
                "onboarding:index",
                order=40,
                perms=("onboarding.view_agencyonboarding",),
                match_prefix="/onboarding/agencies/",
            )
        )
        nav_items.register(
            NavItem(
                "Court readiness",
                "onboarding:court_notices",
                order=45,
                roles=("court_clerk", "aoc_coordinator"),
                match_prefix="/onboarding/courts/",
            )
        )
