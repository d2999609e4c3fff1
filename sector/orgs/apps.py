from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sector.orgs"
    label = "orgs"
    verbose_name = "Agencies, courts and people"

    def ready(self):
        from sector.core.registry import NavItem, home_panels, nav_items

        from . import panels

        nav_items.register(
            NavItem(
                "Agencies", "orgs:agency_list", order=60, perms=("orgs.view_agency",), match_prefix="/orgs/agencies/"
            )
        )
        nav_items.register(
            NavItem("Courts", "orgs:court_list", order=70, perms=("orgs.view_court",), match_prefix="/orgs/courts/")
        )
        home_panels.register(panels.program_panel, order=10)
        home_panels.register(panels.people_panel, order=80)
        home_panels.register(panels.help_panel, order=90)
        nav_items.register(NavItem("Contacts", "orgs:contacts", order=90, match_prefix="/orgs/contacts/"))
