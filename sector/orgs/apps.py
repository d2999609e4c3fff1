from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sector.orgs"
    label = "orgs"
    verbose_name = "Agencies, courts and people"

    def ready(self):
        from sector.core.registry import NavItem, registry

        registry.add_nav(
            NavItem(
                "Agencies", "orgs:agency_list", order=60, perms=("orgs.view_agency",), match_prefix="/orgs/agencies/"
            )
        )
        registry.add_nav(
            NavItem("Courts", "orgs:court_list", order=70, perms=("orgs.view_court",), match_prefix="/orgs/courts/")
        )
        from . import panels

        registry.add_home_panel(panels.program_panel, order=10)
        registry.add_home_panel(panels.people_panel, order=80)
        registry.add_home_panel(panels.help_panel, order=90)
        registry.add_nav(NavItem("Contacts", "orgs:contacts", order=90, match_prefix="/orgs/contacts/"))
