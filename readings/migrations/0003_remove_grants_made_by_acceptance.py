from django.db import migrations


def remove_grants_made_by_acceptance(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    SubscriberAccount = apps.get_model("meters", "SubscriberAccount")
    Holding = SubscriberAccount.users.through
    pairs = set(
        Application.objects.filter(kind__code="meter_readings", status="executed", account__isnull=False).values_list(
            "account_id", "applicant_id"
        )
    )
    for account_id, user_id in pairs:
        Holding.objects.filter(subscriberaccount_id=account_id, user_id=user_id).delete()


class Migration(migrations.Migration):
    """Until now accepting a W1 readings application added its applicant to the account's users,
    so anyone who typed a stranger's code got the stranger's account page once staff accepted
    (issue #8). This removes those grants.

    What it decides: before this migration a user reached ``SubscriberAccount.users`` only by
    acceptance or by a seeding script (the demo data, the benchmark generator); the admin showed
    the list read-only and there was no other page. Nothing records how a pair got there, so
    every (account, user) pair where the user is the applicant of an executed ``meter_readings``
    application of that account is taken as made by acceptance and removed, even if the user
    really is the holder. Pairs without such an application are kept. Holders who lose access
    add the account again with the access code printed on its invoices, or staff confirm them
    in the admin. Reversing it restores nothing: the grants are not wanted back.
    """

    dependencies = [
        ("readings", "0002_subscribercodelookup"),
        ("applications", "0007_kind_codes_from_the_registry"),
        ("meters", "0007_subscriberaccount_access_code"),
    ]

    operations = [
        migrations.RunPython(remove_grants_made_by_acceptance, migrations.RunPython.noop),
    ]
