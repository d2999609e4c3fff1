from django.db import migrations


def seed(apps, schema_editor):
    from sector.accounts.roles import sync_roles
    from sector.onboarding.reference import ensure_reference_data

    ensure_reference_data(apps)
    sync_roles(apps, strict=False)


def unseed(apps, schema_editor):
    apps.get_model("onboarding", "ChecklistStep").objects.all().delete()
    apps.get_model("onboarding", "RequirementProfile").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0001_initial"), ("accounts", "0003_roles")]

    operations = [migrations.RunPython(seed, unseed)]
