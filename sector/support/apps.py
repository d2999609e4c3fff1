from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "sector.support"
    label = "support"
    verbose_name = "Support requests"

    def ready(self):
        from sector.core.registry import NavItem, registry

        from . import demo, panels

        registry.add_nav(
            NavItem(
                "Support",
                "support:request_list",
                order=80,
                perms=("support.view_supportrequest",),
                match_prefix="/support/",
            )
        )
        registry.add_home_panel(panels.support_panel, order=40)
        registry.add_demo_seeder("support", demo.seed_support, order=70)
