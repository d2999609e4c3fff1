from django.db import migrations


def forward(apps, schema_editor):
    from sector.accounts.roles import sync_roles

    sync_roles(apps, strict=False)


def backward(apps, schema_editor):
    from sector.accounts.roles import ROLES

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("orgs", "0002_program_contacts"),
        ("core", "0002_audit_append_only"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forward, backward)]
