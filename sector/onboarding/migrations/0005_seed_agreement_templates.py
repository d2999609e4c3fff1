from django.db import migrations


def seed(apps, schema_editor):
    from sector.accounts.roles import sync_roles
    from sector.onboarding.reference import ensure_agreement_templates

    ensure_agreement_templates(apps)
    sync_roles(apps, strict=False)


def unseed(apps, schema_editor):
    apps.get_model("onboarding", "AgreementTemplate").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0004_agreements")]

    operations = [migrations.RunPython(seed, unseed)]
