"""The models moved to the workflow apps keep their tables; only the state leaves this app."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0005_field_labels'),
        ('cabinet', '0001_initial'),
        ('readings', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist already (db_table keeps their names): only Django's state moves.
            database_operations=[],
            state_operations=[
            migrations.RemoveField(
                model_name='employee',
                name='employee_list',
            ),
            migrations.RemoveField(
                model_name='employeelist',
                name='application',
            ),
            migrations.RemoveField(
                model_name='employeelist',
                name='contract',
            ),
            migrations.RemoveField(
                model_name='limitchangerequest',
                name='application',
            ),
            migrations.RemoveField(
                model_name='limitchangerequest',
                name='contract',
            ),
            migrations.RemoveField(
                model_name='requisiteschange',
                name='application',
            ),
            migrations.RemoveField(
                model_name='requisiteschange',
                name='organization',
            ),
            migrations.DeleteModel(
                name='Claim',
            ),
            migrations.DeleteModel(
                name='Employee',
            ),
            migrations.DeleteModel(
                name='EmployeeList',
            ),
            migrations.DeleteModel(
                name='LimitChangeRequest',
            ),
            migrations.DeleteModel(
                name='RequisitesChange',
            ),
            ],
        ),
    ]
