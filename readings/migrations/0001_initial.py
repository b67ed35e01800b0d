"""W1 models moved here from meters/ with their tables (see meters 0006)."""

import django.db.models.deletion
import portal.storage
from django.conf import settings
from django.db import migrations, models

APP = "readings"
MOVED = {'meters': ['submittedreading', 'onsitecheck', 'inspectedreading', 'readingsapplication']}


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
                name='ReadingsApplication',
                fields=[
                ],
                options={
                    'verbose_name': 'readings application',
                    'verbose_name_plural': 'readings applications',
                    'proxy': True,
                    'indexes': [],
                    'constraints': [],
                },
                bases=('applications.application',),
            ),
            migrations.CreateModel(
                name='OnSiteCheck',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('reason', models.TextField(verbose_name='reason')),
                    ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='requested')),
                    ('due_on', models.DateField(verbose_name='due on')),
                    ('status', models.CharField(choices=[('open', 'Open'), ('done', 'Done')], default='open', max_length=8, verbose_name='status')),
                    ('performed_on', models.DateField(blank=True, null=True, verbose_name='performed on')),
                    ('note', models.TextField(blank=True, verbose_name="inspector's note")),
                    ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='on_site_checks', to='applications.application', verbose_name='application')),
                    ('branch', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='portal.branch', verbose_name='branch')),
                    ('inspector', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='inspector')),
                    ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                    ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='portal.tenant', verbose_name='tenant')),
                ],
                options={
                    'verbose_name': 'on-site check',
                    'verbose_name_plural': 'on-site checks',
                    'db_table': 'meters_onsitecheck',
                },
            ),
            migrations.CreateModel(
                name='SubmittedReading',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('entered_serial', models.CharField(max_length=40, verbose_name='factory number entered')),
                    ('entered_seal', models.CharField(blank=True, max_length=40, verbose_name='seal number entered')),
                    ('value', models.DecimalField(decimal_places=3, max_digits=12, verbose_name='reading')),
                    ('reading_date', models.DateField(verbose_name='reading date')),
                    ('photo', models.FileField(blank=True, storage=portal.storage.private_storage, upload_to='submissions/%Y/%m/', verbose_name='photo')),
                    ('previous_value', models.DecimalField(decimal_places=3, max_digits=12, null=True, verbose_name='last accepted reading')),
                    ('previous_date', models.DateField(null=True, verbose_name='date of the last accepted reading')),
                    ('flags', models.JSONField(blank=True, default=list, verbose_name='flags')),
                    ('outcome', models.CharField(choices=[('pending', 'Pending'), ('accepted', 'Accepted'), ('rejected', 'Rejected'), ('inspected', 'Replaced by the on-site check')], default='pending', max_length=12, verbose_name='outcome')),
                    ('application', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reading_lines', to='applications.application', verbose_name='application')),
                    ('booked_reading', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='submission', to='meters.reading', verbose_name='booked reading')),
                    ('meter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submitted_readings', to='meters.meter', verbose_name='meter')),
                    ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='portal.tenant', verbose_name='tenant')),
                ],
                options={
                    'verbose_name': 'submitted reading',
                    'verbose_name_plural': 'submitted readings',
                    'db_table': 'meters_submittedreading',
                    'ordering': ['application_id', 'pk'],
                },
            ),
            migrations.CreateModel(
                name='InspectedReading',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('value', models.DecimalField(decimal_places=3, max_digits=12, verbose_name='reading')),
                    ('seal_number', models.CharField(blank=True, max_length=40, verbose_name='seal number found')),
                    ('meter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='meters.meter', verbose_name='meter')),
                    ('check_visit', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='readings', to='readings.onsitecheck', verbose_name='on-site check')),
                ],
                options={
                    'verbose_name': 'inspected reading',
                    'verbose_name_plural': 'inspected readings',
                    'db_table': 'meters_inspectedreading',
                    'constraints': [models.UniqueConstraint(fields=('check_visit', 'meter'), name='inspected_reading_unique')],
                },
            ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
