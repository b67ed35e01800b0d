# W1 item 9 of issue #8: a newer submission supersedes a pending line. Numbered 0003: another
# branch adds readings 0002; the chain is fixed at merge.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('readings', '0003_remove_grants_made_by_acceptance'),
    ]

    operations = [
        migrations.AddField(
            model_name='submittedreading',
            name='superseded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replaced_lines', to='readings.submittedreading', verbose_name='replaced by'),
        ),
        migrations.AlterField(
            model_name='submittedreading',
            name='outcome',
            field=models.CharField(choices=[('pending', 'Pending'), ('accepted', 'Accepted'), ('rejected', 'Rejected'), ('inspected', 'Replaced by the on-site check'), ('superseded', 'Replaced by a newer reading')], default='pending', max_length=12, verbose_name='outcome'),
        ),
    ]
