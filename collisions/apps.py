from django.apps import AppConfig


class CollisionsConfig(AppConfig):
    name = "collisions"
    label = "collisions"
    verbose_name = "Collision reports"

    def ready(self):
        from sector.core.registry import NavItem, registry
        from sector.feed import outbox  # noqa: F401 - registers the outbox's Celery tasks in every process
        from sector.feed.registry import register

        from .demo_seed import seed_collisions
        from .ingest import ingest_collisions

        register("collision", ingest_collisions)
        registry.add_demo_seeder("collisions", seed_collisions, order=60)
        from .panels import review_panel

        registry.add_home_panel(review_panel, order=30)
        registry.add_nav(
            NavItem(
                "Collisions",
                "collisions:review_queue",
                order=35,
                perms=("collisions.view_collisionreport",),
                match_prefix="/collisions/",
            )
        )
