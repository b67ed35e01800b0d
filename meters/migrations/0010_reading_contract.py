import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def stamp_existing_readings(apps, schema_editor):
    """Readings booked so far belong to the contract their meter serves now (what the archive showed)."""
    Meter = apps.get_model("meters", "Meter")
    Reading = apps.get_model("meters", "Reading")
    contract = Meter.objects.filter(pk=models.OuterRef("meter_id")).values("service_point__contract_id")[:1]
    Reading.objects.filter(meter__service_point__isnull=False).update(contract_id=models.Subquery(contract))


class Migration(migrations.Migration):
    dependencies = [
        ("meters", "0009_supply_suspension"),
        ("portal", "0010_tenant_requisites"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reading",
            name="contract",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="meters.contract",
                verbose_name="contract",
            ),
        ),
        migrations.RunPython(stamp_existing_readings, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="reading",
            index=models.Index(
                condition=models.Q(("contract__isnull", False)),
                fields=["contract", "-reading_date", "-id"],
                name="reading_contract_date",
            ),
        ),
    ]
