from django.db import migrations, models

import meters.models.accounts


def give_each_account_its_own_code(apps, schema_editor):
    # AddField evaluates a callable default once for all existing rows: every account would share
    # one code. Draw a code per account instead.
    SubscriberAccount = apps.get_model("meters", "SubscriberAccount")
    for account in SubscriberAccount.objects.only("pk").iterator():
        SubscriberAccount.objects.filter(pk=account.pk).update(access_code=meters.models.accounts.new_access_code())


class Migration(migrations.Migration):
    """Each subscriber account gets an access code, printed on its invoices: typing it with the
    subscriber code proves that the user holds the account (issue #8)."""

    dependencies = [
        ("meters", "0006_models_moved_to_readings_and_cabinet"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscriberaccount",
            name="access_code",
            field=models.CharField(
                default=meters.models.accounts.new_access_code, max_length=10, verbose_name="access code"
            ),
        ),
        migrations.RunPython(give_each_account_its_own_code, migrations.RunPython.noop),
    ]
