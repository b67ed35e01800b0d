"""Invoice numbers, payment references and due dates: the identifiers printed on an invoice."""

from django.db import IntegrityError, transaction

from billing.models import InvoiceSequence
from portal.dates import add_months
from portal.workdays import calendar_for

# Payment terms: the 10th of the month after the invoice (the standard water supply contract,
# Russian Government Resolution No. 645: invoices by the 5th, payment by the 10th of the next
# month). A 10th that falls on a day off moves to the next working day of the tenant's calendar.
PAYMENT_DAY = 10
# The account code part of a payment reference; longer codes keep their last digits, the year
# and invoice sequence after them keep the reference unique within the tenant anyway.
REFERENCE_ACCOUNT_DIGITS = 20


def next_invoice_sequence(tenant, year):
    """The next invoice sequence value of ``tenant`` and ``year``; the caller's transaction holds the lock."""
    return reserve_invoice_sequences(tenant, year, 1)


def reserve_invoice_sequences(tenant, year, count):
    """The first of ``count`` consecutive sequence values of ``tenant`` and ``year``, reserved
    in one update (the billing run numbers a chunk's invoices as one block); the caller's
    transaction holds the lock until it commits, so a rolled-back chunk leaves no gap."""
    try:
        # A savepoint: two first invoices of a year racing on the insert must not abort the
        # caller's transaction; the loser simply locks the winner's row below.
        with transaction.atomic():
            sequence, _created = InvoiceSequence.objects.get_or_create(tenant=tenant, year=year)
    except IntegrityError:
        sequence = InvoiceSequence.objects.get(tenant=tenant, year=year)
    sequence = InvoiceSequence.objects.select_for_update().get(pk=sequence.pk)
    first = sequence.last_value + 1
    sequence.last_value += count
    sequence.save(update_fields=["last_value"])
    return first


def invoice_number(tenant, year, sequence):
    """E.g. ``AZS-INV-2026-000123``: the tenant's prefix tells utilities apart in a citizen's mailbox.

    The prefix is unique across tenants (``Tenant.application_prefix``), so the number is too: it
    names the stored PDF and the e-mail attachment (portal.pdf.store_invoice_pdf).
    """
    return f"{tenant.application_prefix}-INV-{year}-{sequence:06d}"


def luhn_check_digit(digits):
    """The Luhn (mod 10) check digit of a digit string.

    It catches every single mistyped digit and most swaps of neighbouring digits, the usual
    mistakes when a reference is typed at a bank counter or in a banking app.
    """
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:  # doubled: the rightmost digit of the payload, then every second one
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def payment_reference(account_code, year, sequence):
    """Digits only, so every bank and terminal accepts it: the account code's digits, the year's
    last two digits, the 6-digit invoice sequence, then a Luhn check digit over all of them.

    The payment importer can tell from the reference alone which account and which invoice a
    transfer is for, and reject a mistyped reference by its check digit before matching it.
    """
    code_digits = "".join(char for char in account_code if char.isdigit())[-REFERENCE_ACCOUNT_DIGITS:]
    payload = f"{code_digits}{year % 100:02d}{sequence:06d}"
    return payload + luhn_check_digit(payload)


def is_valid_reference(reference):
    return reference.isdigit() and len(reference) > 1 and luhn_check_digit(reference[:-1]) == reference[-1]


def period_due_date(tenant, period_end, issued_on):
    """The payment term of a period invoice: by the 10th of the month after the billing period;
    an invoice issued after that day gets its own term."""
    due_on = due_date(tenant, period_end)
    return due_on if due_on >= issued_on else due_date(tenant, issued_on)


def due_date(tenant, issued_on):
    """The 10th of the month after ``issued_on``, moved to a working day of the tenant's calendar."""
    return calendar_for(tenant).working_day_on_or_after(add_months(issued_on, 1).replace(day=PAYMENT_DAY))
