from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "sector.training"
    label = "training"
    verbose_name = "Training records"

    def ready(self):
        from sector.core.registry import NavItem, demo_seeders, home_panels, nav_items
        from sector.onboarding.lasa import services as lasa

        from . import demo, panels, services

        lasa.officer_activation_checks.register(services.officer_training_check)
        lasa.trained_user_sources.register(services.trained_user_ids)
        demo_seeders.register(demo.seed_training, key="training", order=45)
        home_panels.register(panels.training_panel, order=30)
        nav_items.register(
            NavItem(
                "Training",
                "training:events",
                order=50,
                perms=("training.view_trainingevent",),
                match_prefix="/training/",
            )
        )
