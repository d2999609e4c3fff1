"""Destinations' auth secrets are stored encrypted (sector/core/crypto.py): widen the column to text, then
encrypt the secrets already stored in plain text. Reading a value written before this migration returns it
as it is (no prefix), so the forward step reads plain text and writes tokens; the reverse writes plain text."""

from django.db import migrations, models
from django.db.models import Value

import sector.core.crypto


def encrypt_existing(apps, schema_editor):
    Destination = apps.get_model("feed", "Destination")
    for pk, secret in Destination.objects.exclude(auth_secret="").values_list("pk", "auth_secret"):
        Destination.objects.filter(pk=pk).update(auth_secret=secret)  # the field encrypts on the way in


def decrypt_existing(apps, schema_editor):
    Destination = apps.get_model("feed", "Destination")
    for pk, secret in Destination.objects.exclude(auth_secret="").values_list("pk", "auth_secret"):
        Destination.objects.filter(pk=pk).update(auth_secret=Value(secret, output_field=models.TextField()))


class Migration(migrations.Migration):
    dependencies = [
        ("feed", "0003_american_english_labels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="destination",
            name="auth_secret",
            field=sector.core.crypto.EncryptedTextField(
                blank=True,
                help_text="The header's value (e.g. 'Bearer …'); stored encrypted, never shown after saving.",
            ),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
