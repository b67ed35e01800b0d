"""The models moved to the workflow apps keep their tables; only the state leaves this app."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('meters', '0005_field_labels'),
        ('readings', '0001_initial'),
        ('cabinet', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist already (db_table keeps their names): only Django's state moves.
            database_operations=[],
            state_operations=[
            migrations.RemoveField(
                model_name='contractlink',
                name='contract',
            ),
            migrations.RemoveField(
                model_name='contractlink',
                name='decided_by',
            ),
            migrations.RemoveField(
                model_name='contractlink',
                name='organization',
            ),
            migrations.RemoveField(
                model_name='contractlink',
                name='requested_by',
            ),
            migrations.RemoveField(
                model_name='contractlink',
                name='tenant',
            ),
            migrations.RemoveField(
                model_name='hotwatervolume',
                name='contract',
            ),
            migrations.RemoveField(
                model_name='hotwatervolume',
                name='saved_by',
            ),
            migrations.RemoveField(
                model_name='hotwatervolume',
                name='service_point',
            ),
            migrations.RemoveField(
                model_name='hotwatervolume',
                name='tenant',
            ),
            migrations.RemoveField(
                model_name='inspectedreading',
                name='check_visit',
            ),
            migrations.RemoveField(
                model_name='inspectedreading',
                name='meter',
            ),
            migrations.RemoveField(
                model_name='onsitecheck',
                name='application',
            ),
            migrations.RemoveField(
                model_name='onsitecheck',
                name='branch',
            ),
            migrations.RemoveField(
                model_name='onsitecheck',
                name='inspector',
            ),
            migrations.RemoveField(
                model_name='onsitecheck',
                name='requested_by',
            ),
            migrations.RemoveField(
                model_name='onsitecheck',
                name='tenant',
            ),
            migrations.RemoveField(
                model_name='periodreading',
                name='booked_reading',
            ),
            migrations.RemoveField(
                model_name='periodreading',
                name='contract',
            ),
            migrations.RemoveField(
                model_name='periodreading',
                name='meter',
            ),
            migrations.RemoveField(
                model_name='periodreading',
                name='saved_by',
            ),
            migrations.RemoveField(
                model_name='periodreading',
                name='tenant',
            ),
            migrations.RemoveField(
                model_name='submittedreading',
                name='application',
            ),
            migrations.RemoveField(
                model_name='submittedreading',
                name='booked_reading',
            ),
            migrations.RemoveField(
                model_name='submittedreading',
                name='meter',
            ),
            migrations.RemoveField(
                model_name='submittedreading',
                name='tenant',
            ),
            migrations.DeleteModel(
                name='ReadingsApplication',
            ),
            migrations.DeleteModel(
                name='ContractLink',
            ),
            migrations.DeleteModel(
                name='HotWaterVolume',
            ),
            migrations.DeleteModel(
                name='InspectedReading',
            ),
            migrations.DeleteModel(
                name='OnSiteCheck',
            ),
            migrations.DeleteModel(
                name='PeriodReading',
            ),
            migrations.DeleteModel(
                name='SubmittedReading',
            ),
            ],
        ),
    ]
