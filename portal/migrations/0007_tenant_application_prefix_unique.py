"""Each tenant gets its own number prefix (issue #8, item 13).

Tenants that shared a prefix (every tenant created without one got "APP") numbered their invoices
alike, e.g. APP-INV-2026-000024 in two utilities, and the PDFs of both, stored and e-mailed under
that number, collided. Each of them now gets a prefix of its own made from its address name; the
numbers already issued stay as they are, new applications and invoices carry the new prefix.
"""

import re

from django.db import migrations, models

import portal.models.tenancy


def own_prefix(slug, taken):
    letters = re.sub(r"[^A-Z0-9]", "", slug.upper()) or "T"
    if not letters[0].isalpha():
        letters = "T" + letters
    candidates = [letters[:3], letters[:4], letters[:6]]
    candidates += [f"{letters[:3]}{number}" for number in range(2, 1000)]
    return next(candidate for candidate in candidates if len(candidate) >= 2 and candidate not in taken)


def give_each_tenant_its_own_prefix(apps, schema_editor):
    Tenant = apps.get_model("portal", "Tenant")
    tenants = list(Tenant.objects.order_by("pk"))
    counts = {}
    for tenant in tenants:
        counts[tenant.application_prefix] = counts.get(tenant.application_prefix, 0) + 1
    taken = {prefix for prefix, count in counts.items() if count == 1}
    for tenant in tenants:
        if counts[tenant.application_prefix] > 1:
            tenant.application_prefix = own_prefix(tenant.slug, taken)
            taken.add(tenant.application_prefix)
            tenant.save(update_fields=["application_prefix"])


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0006_branch_short_lab_delivery_term'),
    ]

    operations = [
        migrations.RunPython(give_each_tenant_its_own_prefix, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='tenant',
            name='application_prefix',
            field=models.CharField(help_text="The tenant's own prefix of application and invoice numbers, e.g. AZS-2026-000123 and AZS-INV-2026-000024; no other tenant may use it.", max_length=6, unique=True, validators=[portal.models.tenancy.prefix_validator], verbose_name='application number prefix'),
        ),
    ]
