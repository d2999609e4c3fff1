from django.apps import AppConfig


class ProgramConfig(AppConfig):
    """The program office (issue 16): each agency's SECTOR -> TraCS migration and the statewide board, bulk
    onboarding from a spreadsheet, and reminders of overdue steps. It sits above onboarding, training and the
    feed (the migration's checklist reads all three), so none of them imports it."""

    name = "sector.program"
    label = "program"
    verbose_name = "Program office"

    def ready(self):
        from sector.core.registry import NavItem, demo_seeders, nav_items

        from . import demo

        demo_seeders.register(demo.seed_program, key="program office", order=75)  # after the demo senders (tickets, 50)
        nav_items.register(
            NavItem(
                "TraCS migration",
                "program:board",
                order=42,
                perms=("program.view_tracsmigration",),
                match_prefix="/program/tracs/",
            )
        )
