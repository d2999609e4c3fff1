from django.db import migrations

DEADLINES = {
    "infraction": (5, "business_days", "IRLJ 2.2(d): filed within 5 days of issuance, weekends and holidays excluded."),
    "civil_infraction": (48, "business_hours", "RCW 7.80.050: filed within 48 hours, weekends and holidays excluded."),
    "criminal": (5, "business_days", "As configured by the courts (CrRLJ); adjust here."),
}


def load(apps, schema_editor):
    FilingDeadline = apps.get_model("courts", "FilingDeadline")
    for kind, (amount, unit, authority) in DEADLINES.items():
        FilingDeadline.objects.get_or_create(
            kind=kind, defaults={"amount": amount, "unit": unit, "authority": authority}
        )


class Migration(migrations.Migration):
    dependencies = [("courts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
