"""Invoice numbers and their PDF file names are unique across tenants (issue #8, item 13): two
utilities' first invoice of the year no longer both read APP-INV-2026-000001."""

import datetime
import importlib
from pathlib import PurePosixPath

import pytest
from django.core.exceptions import ValidationError

from billing.documents import store_invoice_pdf
from billing.invoicing import issue_invoice
from tests.meters.factories import SubscriberAccountFactory
from tests.portal.factories import BranchFactory, TenantFactory

pytestmark = pytest.mark.django_db

prefix_migration = importlib.import_module("portal.migrations.0007_tenant_application_prefix_unique")


def first_invoice(account):
    return issue_invoice(
        account=account,
        lines=[],
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
        issued_on=datetime.date(2026, 11, 2),
        due_on=datetime.date(2026, 12, 10),
        language="en",
        render_pdf=False,
    )


def test_two_tenants_first_invoices_have_distinct_numbers_and_file_names(tenant, account):
    other = TenantFactory(slug="izhvodokanal", name="Izhvodokanal", application_prefix="IZV", currency="RUB")
    other_account = SubscriberAccountFactory(tenant=other, branch=BranchFactory(tenant=other), code=account.code)

    ours, theirs = first_invoice(account), first_invoice(other_account)
    store_invoice_pdf(ours)
    store_invoice_pdf(theirs)

    assert (ours.number, theirs.number) == ("AZS-INV-2026-000001", "IZV-INV-2026-000001")
    # The attachment is named by the file's base name: the number itself, with no random suffix.
    assert PurePosixPath(ours.pdf.name).name == "AZS-INV-2026-000001.pdf"
    assert PurePosixPath(theirs.pdf.name).name == "IZV-INV-2026-000001.pdf"
    assert ours.pdf.name != theirs.pdf.name


def test_a_tenant_cannot_take_another_tenants_prefix(tenant):
    copycat = TenantFactory.build(slug="copycat", name="Copycat", application_prefix=tenant.application_prefix)
    with pytest.raises(ValidationError) as refused:
        copycat.full_clean()
    assert "application_prefix" in refused.value.message_dict


def test_tenants_that_shared_a_prefix_each_get_their_own_from_the_address_name():
    taken = {"AZS"}
    prefixes = []
    for slug in ["azersu", "azerishiq", "azerigaz", "9-lives"]:
        prefixes.append(prefix_migration.own_prefix(slug, taken))
        taken.add(prefixes[-1])
    assert prefixes == ["AZE", "AZER", "AZERIG", "T9L"]
