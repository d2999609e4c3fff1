"""The access log becomes append-only at the database (UPDATE, DELETE and TRUNCATE refused by triggers), three
more kinds of access are logged, and a release keeps the redacted narrative its reviewer supplied."""

from django.db import migrations, models

FORWARD = """
CREATE OR REPLACE FUNCTION collisions_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER collisions_accesslog_append_only
    BEFORE UPDATE OR DELETE ON collisions_accesslog
    FOR EACH ROW EXECUTE FUNCTION collisions_accesslog_append_only();
CREATE TRIGGER collisions_accesslog_no_truncate
    BEFORE TRUNCATE ON collisions_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION collisions_accesslog_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS collisions_accesslog_no_truncate ON collisions_accesslog;
DROP TRIGGER IF EXISTS collisions_accesslog_append_only ON collisions_accesslog;
DROP FUNCTION IF EXISTS collisions_accesslog_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(FORWARD)  # no params: the % in RAISE is PL/pgSQL's, not a placeholder


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("collisions", "0002_report_search_fields_and_injury_labels"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="accesslog",
            options={
                "ordering": ["-at", "-id"],
                "verbose_name": "access entry",
                "verbose_name_plural": "access entries",
            },
        ),
        migrations.AddField(
            model_name="release",
            name="narrative",
            field=models.TextField(
                blank=True,
                help_text="The narrative as released, redacted by the reviewer; empty: the copy leaves the narrative out.",
            ),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="kind",
            field=models.CharField(
                choices=[
                    ("view", "Viewed the report"),
                    ("pdf", "Downloaded the report PDF"),
                    ("release_pdf", "Downloaded a redacted release PDF"),
                    ("diagram", "Viewed a diagram"),
                    ("releases", "Viewed the releases (every person listed)"),
                    ("delivery", "Viewed a delivery's payload"),
                ],
                default="view",
                max_length=12,
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
