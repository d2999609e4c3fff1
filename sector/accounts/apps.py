from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sector.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401

        post_migrate.connect(_sync_roles_after_migrate, sender=self)


def _sync_roles_after_migrate(sender, using="default", **kwargs):
    """Keep the groups equal to roles.ROLES after every migrate (and after a test flush)."""
    from .roles import sync_roles

    sync_roles()
