from django.db import migrations, models


class Migration(migrations.Migration):
    """The flag is named for what it is: the shorter lab-delivery term of the gas meter removal
    rules (§2.1), not "shorter legal deadlines" in general."""

    dependencies = [
        ("portal", "0005_field_labels"),
    ]

    operations = [
        migrations.RenameField(model_name="branch", old_name="short_legal_deadlines", new_name="short_lab_delivery_term"),
        migrations.AlterField(
            model_name="branch",
            name="short_lab_delivery_term",
            field=models.BooleanField(
                default=False,
                help_text="Removed meters reach the verification lab within 5 working days instead of 10 (Baku, Sumgayit and Absheron).",
                verbose_name="shorter lab-delivery term",
            ),
        ),
    ]
