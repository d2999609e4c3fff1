from django.db import migrations, models

ADDRESS_HELP = "Street address, city, state and ZIP code, one per line."


class Migration(migrations.Migration):
    dependencies = [("orgs", "0002_program_contacts")]

    operations = [
        migrations.AddField("court", "address", models.TextField(blank=True, help_text=ADDRESS_HELP)),
        migrations.AddField("court", "phone", models.CharField(blank=True, max_length=30)),
    ]
