from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "sector.onboarding"
    label = "onboarding"
    verbose_name = "Agency onboarding"

    def ready(self):
        from sector.core.registry import NavItem, registry

        registry.add_nav(
            NavItem(
                "Onboarding",
                "onboarding:home",
                order=40,
                perms=("onboarding.view_agencyonboarding",),
                match_prefix="/onboarding/",
            )
        )
