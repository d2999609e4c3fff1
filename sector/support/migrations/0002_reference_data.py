from django.db import migrations


def load(apps, schema_editor):
    from sector.support.reference import load_reference

    load_reference(
        apps.get_model("support", "Category"),
        apps.get_model("support", "Priority"),
        apps.get_model("support", "BusinessDay"),
    )


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
