from django.apps import AppConfig


class CitationsConfig(AppConfig):
    name = "citations"
    label = "citations"
    verbose_name = "Tickets"

    def ready(self):
        from sector.accounts.roles import roles_with_perm
        from sector.core.registry import NavItem, demo_seeders, nav_items
        from sector.feed.registry import record_handlers

        from .demo_seed import seed_tickets
        from .ingest import ingest_tickets

        record_handlers.register(ingest_tickets, key="ticket")

        from sector.feed.registry import overdue_hops

        from .custody import overdue_source

        overdue_hops.register(overdue_source(), order=10)
        demo_seeders.register(seed_tickets, key="tickets", order=50)
        nav_items.register(
            NavItem(
                "Tickets",
                "citations:ticket_list",
                order=30,
                # The agency side's entry: the agency roles whose permissions include viewing tickets (ROLES table).
                roles=tuple(sorted(roles_with_perm("citations.view_ticket", scope="agency"))),
                match_prefix="/tickets/",
            )
        )

        from sector.core.retention import record_classes

        from .retention import ticket_class

        record_classes.register(ticket_class, order=10)

        from sector.feed.registry import backlog_sources

        from .backlog import ticket_backlog

        backlog_sources.register(ticket_backlog, key="ticket")
