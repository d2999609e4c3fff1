from django.db import migrations

from sector.orgs.contacts_data import PROGRAM_CONTACTS, ensure_program_contacts


def forward(apps, schema_editor):
    ensure_program_contacts(apps.get_model("orgs", "ProgramContact"))


def backward(apps, schema_editor):
    ProgramContact = apps.get_model("orgs", "ProgramContact")
    ProgramContact.objects.filter(email__in=[c["email"] for c in PROGRAM_CONTACTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
