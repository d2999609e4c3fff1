from django.apps import AppConfig


class CitationsConfig(AppConfig):
    name = "citations"
    label = "citations"
    verbose_name = "Tickets"

    def ready(self):
        from sector.core.registry import NavItem, registry
        from sector.feed.registry import register

        from .ingest import ingest_tickets

        register("ticket", ingest_tickets)
        from .demo_seed import seed_tickets

        registry.add_demo_seeder("tickets", seed_tickets, order=50)
        registry.add_nav(
            NavItem(
                "Tickets",
                "citations:ticket_list",
                order=30,
                roles=("lasa", "officer"),
                match_prefix="/tickets/",
            )
        )
