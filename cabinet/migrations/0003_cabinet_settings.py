"""The cabinet's business rules become a setting per tenant (issue #7, item 8).

Until now the readings page took cold-water meters only on a tenant offering the subscriber
cabinet for contracts (W5, Izhvodokanal) and every meter otherwise (W4). Existing tenants keep
exactly that: W5 tenants get "cold water only", other cabinet tenants "every meter".
"""

import cabinet.models.settings
import django.db.models.deletion
from django.db import migrations, models


def keep_todays_rule(apps, schema_editor):
    Tenant = apps.get_model("portal", "Tenant")
    CabinetSettings = apps.get_model("cabinet", "CabinetSettings")
    for tenant in Tenant.objects.all():
        workflows = tenant.workflows or []
        if "contract_cabinet" in workflows:
            kinds = ["cold_water"]
        elif "legal_cabinet" in workflows:
            kinds = []
        else:
            continue
        CabinetSettings.objects.get_or_create(tenant=tenant, defaults={"readings_meter_kinds": kinds})


class Migration(migrations.Migration):

    dependencies = [
        ('cabinet', '0002_request_application_proxy'),
        ('portal', '0005_field_labels'),
    ]

    operations = [
        migrations.CreateModel(
            name='CabinetSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('readings_meter_kinds', models.JSONField(blank=True, default=list, help_text='The meters whose readings the cabinet takes each period; none ticked: every meter. A water company that takes hot water as volumes ticks cold water only.', validators=[cabinet.models.settings.validate_meter_kinds], verbose_name='meter kinds on the readings page')),
                ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='portal.tenant', verbose_name='tenant')),
            ],
            options={
                'verbose_name': 'cabinet settings',
                'verbose_name_plural': 'cabinet settings',
                'constraints': [models.UniqueConstraint(fields=('tenant',), name='cabinet_settings_one_per_tenant')],
            },
        ),
        migrations.RunPython(keep_todays_rule, migrations.RunPython.noop),
    ]
