from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "sector.onboarding"
    label = "onboarding"
    verbose_name = "Agency onboarding"

    def ready(self):
        from sector.core.registry import NavItem, registry

        from .notices import services as notices
        from .survey import services as survey_services

        if notices.notices_create not in survey_services.SUBMIT_HOOKS:
            survey_services.SUBMIT_HOOKS.append(notices.notices_create)
        from . import demo, panels

        registry.add_demo_seeder("onboarding", demo.seed_onboarding, order=40)
        registry.add_home_panel(panels.onboarding_panel, order=20)
        registry.add_nav(
            NavItem(
                "Onboarding",
                "onboarding:index",
                order=40,
                perms=("onboarding.view_agencyonboarding",),
                match_prefix="/onboarding/agencies/",
            )
        )
        registry.add_nav(
            NavItem(
                "Court readiness",
                "onboarding:court_notices",
                order=45,
                roles=("court_clerk", "aoc_coordinator"),
                match_prefix="/onboarding/courts/",
            )
        )
