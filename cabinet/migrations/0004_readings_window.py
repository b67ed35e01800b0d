"""The readings window becomes a setting of the tenant's cabinet (issue #9, item 8).

W5 (Izhvodokanal, "contract_cabinet") takes a period's readings only in its submission window;
W4 (Uzbekenergo, "legal_cabinet") has no deadline in its source document, so its cabinet takes
readings at any time.

The reporting period is relabelled as the source labels it (item 6): the month the deadline falls
in, no longer the month before it. Rows already saved keep their window, so their period moves one
month on (latest first, as (meter, period) is unique).
"""

from django.db import migrations, models


def window_by_workflow(apps, schema_editor):
    Tenant = apps.get_model("portal", "Tenant")
    CabinetSettings = apps.get_model("cabinet", "CabinetSettings")
    for tenant in Tenant.objects.all():
        workflows = tenant.workflows or []
        if "contract_cabinet" in workflows:
            window, kinds = True, ["cold_water"]
        elif "legal_cabinet" in workflows:
            window, kinds = False, []
        else:
            continue
        settings, created = CabinetSettings.objects.get_or_create(
            tenant=tenant, defaults={"readings_meter_kinds": kinds, "readings_window": window}
        )
        if not created:
            settings.readings_window = window
            settings.save(update_fields=["readings_window"])


def _next_month(day):
    return day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1, day=1)


def _previous_month(day):
    return day.replace(year=day.year - (day.month == 1), month=(day.month - 2) % 12 + 1, day=1)


def relabel_periods(apps, schema_editor, step=_next_month):
    for model in ("PeriodReading", "HotWaterVolume"):
        Model = apps.get_model("cabinet", model)
        order = "-period" if step is _next_month else "period"
        for row in Model.objects.order_by(order).only("pk", "period").iterator():
            Model.objects.filter(pk=row.pk).update(period=step(row.period))


def unlabel_periods(apps, schema_editor):
    relabel_periods(apps, schema_editor, step=_previous_month)


class Migration(migrations.Migration):

    dependencies = [
        ('cabinet', '0003_cabinet_settings'),
    ]

    operations = [
        migrations.AddField(
            model_name='cabinetsettings',
            name='readings_window',
            field=models.BooleanField(default=True, help_text="On: readings of a period are taken only in the 3 days up to the contract's deadline day (and the first working day after a deadline on a day off). Off: at any time, as the contract sets no deadline.", verbose_name='readings only in the submission window'),
        ),
        migrations.RunPython(window_by_workflow, migrations.RunPython.noop),
        migrations.RunPython(relabel_periods, unlabel_periods),
    ]
