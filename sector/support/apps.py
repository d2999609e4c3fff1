from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "sector.support"
    label = "support"
    verbose_name = "Support requests"

    def ready(self):
        from sector.core.registry import NavItem, demo_seeders, home_panels, nav_items

        from . import demo, panels

        nav_items.register(
            NavItem(
                "Support",
                "support:request_list",
                order=80,
                perms=("support.view_supportrequest",),
                match_prefix="/support/",
            )
        )
        home_panels.register(panels.support_panel, order=40)
        demo_seeders.register(demo.seed_support, key="support", order=70)
