from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "sector.training"
    label = "training"
    verbose_name = "Training records"

    def ready(self):
        from sector.core.registry import NavItem, registry
        from sector.onboarding.lasa import services as lasa

        from . import services

        if services.officer_training_check not in lasa.OFFICER_ACTIVATION_CHECKS:
            lasa.OFFICER_ACTIVATION_CHECKS.append(services.officer_training_check)
        if services.trained_user_ids not in lasa.TRAINED_USERS:
            lasa.TRAINED_USERS.append(services.trained_user_ids)
        from . import demo, panels

        registry.add_demo_seeder("training", demo.seed_training, order=45)
        registry.add_home_panel(panels.training_panel, order=30)
        registry.add_nav(
            NavItem(
                "Training",
                "training:events",
                order=50,
                perms=("training.view_trainingevent",),
                match_prefix="/training/",
            )  # fmt: skip
        )
