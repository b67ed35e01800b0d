"""Cabinet models moved here from meters/ and applications/ with their tables (see their 0006)."""

import django.db.models.deletion
import portal.storage
from django.conf import settings
from django.db import migrations, models

APP = "cabinet"
MOVED = {'meters': ['contractlink', 'periodreading', 'hotwatervolume'], 'applications': ['limitchangerequest', 'requisiteschange', 'claim', 'employeelist', 'employee']}


def move_content_types(apps, schema_editor):
    """Keep staff permissions and admin history: the moved models' content types change app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_app, names in MOVED.items():
        for model in names:
            if not ContentType.objects.filter(app_label=APP, model=model).exists():
                ContentType.objects.filter(app_label=old_app, model=model).update(app_label=APP)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0003_field_labels'),
        ('applications', '0005_field_labels'),
        ('meters', '0005_field_labels'),
        ('portal', '0005_field_labels'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist already (db_table keeps their names): only Django's state moves.
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='Claim',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('subject', models.CharField(max_length=200, verbose_name='subject')),
                    ('text', models.TextField(verbose_name='text')),
                    ('application', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='claim', to='applications.application', verbose_name='application')),
                    ('contract', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='meters.contract', verbose_name='contract')),
                ],
                options={
                    'verbose_name': 'application or claim',
                    'verbose_name_plural': 'applications and claims',
                    'db_table': 'applications_claim',
                },
            ),
            migrations.CreateModel(
                name='EmployeeList',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('signed_by', models.CharField(max_length=200, verbose_name='signed by (name and position)')),
                    ('application', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='employee_list', to='applications.application', verbose_name='application')),
                    ('contract', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='employee_lists', to='meters.contract', verbose_name='contract')),
                ],
                options={
                    'verbose_name': 'employee list',
                    'verbose_name_plural': 'employee lists',
                    'db_table': 'applications_employeelist',
                },
            ),
            migrations.CreateModel(
                name='LimitChangeRequest',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('current_limit', models.DecimalField(decimal_places=3, max_digits=14, null=True, verbose_name='current monthly limit')),
                    ('new_limit', models.DecimalField(decimal_places=3, max_digits=14, verbose_name='new monthly limit')),
                    ('effective_from', models.DateField(verbose_name='from')),
                    ('reason', models.TextField(verbose_name='reason')),
                    ('applied_at', models.DateTimeField(blank=True, null=True, verbose_name='applied')),
                    ('application', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='limit_change', to='applications.application', verbose_name='application')),
                    ('contract', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='limit_changes', to='meters.contract', verbose_name='contract')),
                ],
                options={
                    'verbose_name': 'limit change request',
                    'verbose_name_plural': 'limit change requests',
                    'db_table': 'applications_limitchangerequest',
                },
            ),
            migrations.CreateModel(
                name='RequisitesChange',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('bank_name', models.CharField(max_length=200, verbose_name='bank')),
                    ('bank_code', models.CharField(max_length=20, verbose_name='bank code (BIC/MFO)')),
                    ('bank_account', models.CharField(max_length=34, verbose_name='settlement account')),
                    ('document', models.FileField(blank=True, storage=portal.storage.private_storage, upload_to='requisites/', verbose_name='supporting letter')),
                    ('applied_at', models.DateTimeField(blank=True, null=True, verbose_name='applied')),
                    ('application', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='requisites_change', to='applications.application', verbose_name='application')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organization', verbose_name='organization')),
                ],
                options={
                    'verbose_name': 'change of bank requisites',
                    'verbose_name_plural': 'changes of bank requisites',
                    'db_table': 'applications_requisiteschange',
                },
            ),
            migrations.CreateModel(
                name='ContractLink',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('status', models.CharField(choices=[('pending', 'Waiting for confirmation'), ('active', 'Linked'), ('rejected', 'Rejected'), ('removed', 'Removed')], max_length=10, verbose_name='status')),
                    ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='requested')),
                    ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                    ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='removed')),
                    ('contract', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='links', to='meters.contract', verbose_name='contract')),
                    ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                    ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contract_links', to='accounts.organization', verbose_name='organization')),
                    ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                    ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='portal.tenant', verbose_name='tenant')),
                ],
                options={
                    'verbose_name': 'contract link',
                    'verbose_name_plural': 'contract links',
                    'db_table': 'meters_contractlink',
                    'ordering': ['-requested_at'],
                    'constraints': [models.UniqueConstraint(condition=models.Q(('status__in', ['pending', 'active'])), fields=('contract',), name='contract_one_live_link')],
                },
            ),
            migrations.CreateModel(
                name='Employee',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('full_name', models.CharField(max_length=200, verbose_name='full name')),
                    ('position', models.CharField(max_length=200, verbose_name='position')),
                    ('personal_number', models.CharField(max_length=40, verbose_name='personal number')),
                    ('passport_number', models.CharField(blank=True, max_length=40, verbose_name='identity document number')),
                    ('phone', models.CharField(blank=True, max_length=16, verbose_name='phone')),
                    ('employee_list', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='employees', to='cabinet.employeelist', verbose_name='employee list')),
                ],
                options={
                    'verbose_name': 'employee',
                    'verbose_name_plural': 'employees',
                    'db_table': 'applications_employee',
                    'ordering': ['employee_list_id', 'full_name'],
                    'constraints': [models.UniqueConstraint(fields=('employee_list', 'personal_number'), name='employee_unique_in_list')],
                },
            ),
            migrations.CreateModel(
                name='HotWaterVolume',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('period', models.DateField(verbose_name='reporting period')),
                    ('previous_reading', models.DecimalField(blank=True, decimal_places=3, max_digits=12, null=True, verbose_name='previous reading')),
                    ('current_reading', models.DecimalField(blank=True, decimal_places=3, max_digits=12, null=True, verbose_name='current reading')),
                    ('volume', models.DecimalField(decimal_places=3, max_digits=12, verbose_name='volume, m³')),
                    ('computed', models.BooleanField(default=False, verbose_name='computed from readings')),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted')], default='draft', max_length=10, verbose_name='status')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted')),
                    ('contract', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='hot_water_volumes', to='meters.contract', verbose_name='contract')),
                    ('saved_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='saved by')),
                    ('service_point', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='hot_water_volumes', to='meters.servicepoint', verbose_name='connection point')),
                    ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='portal.tenant', verbose_name='tenant')),
                ],
                options={
                    'verbose_name': 'hot-water volume',
                    'verbose_name_plural': 'hot-water volumes',
                    'db_table': 'meters_hotwatervolume',
                    'ordering': ['contract_id', 'period', 'service_point_id'],
                    'constraints': [models.UniqueConstraint(fields=('service_point', 'period'), name='hot_water_volume_unique')],
                },
            ),
            migrations.CreateModel(
                name='PeriodReading',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('period', models.DateField(help_text='First day of the month.', verbose_name='reporting period')),
                    ('value', models.DecimalField(decimal_places=3, max_digits=12, verbose_name='reading')),
                    ('reading_date', models.DateField(verbose_name='reading date')),
                    ('status', models.CharField(choices=[('draft', 'Draft'), ('accepted', 'Accepted'), ('refused', 'Refused')], default='draft', max_length=10, verbose_name='status')),
                    ('refusal_reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted')),
                    ('booked_reading', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='period_reading', to='meters.reading', verbose_name='booked reading')),
                    ('contract', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='period_readings', to='meters.contract', verbose_name='contract')),
                    ('meter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='period_readings', to='meters.meter', verbose_name='meter')),
                    ('saved_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='saved by')),
                    ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='portal.tenant', verbose_name='tenant')),
                ],
                options={
                    'verbose_name': 'period reading',
                    'verbose_name_plural': 'period readings',
                    'db_table': 'meters_periodreading',
                    'ordering': ['contract_id', 'period', 'meter_id'],
                    'indexes': [models.Index(fields=['contract', 'period'], name='period_reading_contract')],
                    'constraints': [models.UniqueConstraint(fields=('meter', 'period'), name='period_reading_unique')],
                },
            ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
