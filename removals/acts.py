"""Acts of a case: numbered per tenant and year, worded by the tenant's ActTemplate in the act's
language (or the defaults below), rendered to PDF by removals.tasks.render_act_pdf after commit."""

from string import Template

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.l10n import money
from portal.queue import enqueue_on_commit
from removals.models import Act, ActSequence, ActTemplate

RENDER_TASK = "removals.tasks.render_act_pdf"

# The source's annexes 6 and 7 are not published: wording that says what each act records.
DEFAULTS = {
    Act.Kind.REMOVAL: (
        gettext_lazy("Act of removal of a gas meter"),
        gettext_lazy(
            "Case $number. On $removed_at the gas meter $meter of subscriber account $account ($holder, $address) "
            "was removed for the following reason: $reason. Reading at removal: $reading. Seal numbers: $seals. "
            "The meter was packed in sealed bag $bag and is sent to the state verification lab."
        ),
    ),
    Act.Kind.INTAKE_MISMATCH: (
        gettext_lazy("Record of a difference found at intake"),
        gettext_lazy(
            "Case $number. On $intake_on the verification lab received the gas meter $meter of account $account. "
            "Reading at intake: $intake_reading (at removal: $reading). Seal numbers at intake: $intake_seals "
            "(at removal: $seals). Difference: $difference. $tenant has been notified (rules §2.2)."
        ),
    ),
    Act.Kind.NOTICE_OPINION: (
        gettext_lazy("Notice and opinion on the state verification of a gas meter"),
        gettext_lazy(
            "Case $number. The gas meter $meter of account $account ($holder) received on $intake_on was verified "
            "on $verified_on. Result: $result. Certificate or notice number: $certificate; valid until: "
            "$valid_until. Damages to be paid by the consumer, if any: $damages (rules §2.5–§2.7)."
        ),
    ),
    Act.Kind.REINSTALLATION: (
        gettext_lazy("Act of removal, installation and commissioning"),
        gettext_lazy(
            "Case $number. The damages of $damages for the gas meter $meter of account $account ($holder, "
            "$address) were not paid. The installed meter is removed and the gas supply of the flat is suspended "
            "until the damages are paid (rules §2.8)."
        ),
    ),
}


def _date(value):
    return date_format(value, "DATE_FORMAT") if value else "—"


def case_facts(removal):
    """The values an act's text may name, in the active language."""
    application = removal.application
    account = application.account
    damages = removal.damages_invoice
    return {
        "number": application.number,
        "account": account.code,
        "holder": account.holder_name,
        "address": account.address,
        "meter": f"{removal.meter.model} №{removal.meter.serial_number}".strip(),
        "reason": str(removal.get_reason_display()),
        "removed_at": _date(removal.removed_at.date() if removal.removed_at else None),
        "reading": str(removal.removal_reading) if removal.removal_reading is not None else "—",
        "seals": removal.removal_seals or "—",
        "bag": removal.bag_number or "—",
        "intake_on": _date(removal.intake_on),
        "intake_reading": str(removal.intake_reading) if removal.intake_reading is not None else "—",
        "intake_seals": removal.intake_seals or "—",
        "difference": removal.intake_mismatch or "—",
        "result": str(removal.get_result_display()) if removal.result else "—",
        "certificate": removal.certificate_number or "—",
        "verified_on": _date(removal.verified_on),
        "valid_until": _date(removal.valid_until),
        "damages": f"{money(damages.total)} {damages.currency}" if damages is not None else _("none"),
        "tenant": removal.tenant.local_name,
    }


def wording(tenant, kind, language):
    """(title, body template) of ``kind`` in ``language``: the tenant's own, else the default."""
    own = ActTemplate.objects.filter(tenant=tenant, kind=kind, language=language).first()
    if own is not None:
        return own.title, own.body
    with translation.override(language):
        title, body = DEFAULTS[kind]
        return str(title), str(body)


def next_act_number(tenant, year):
    sequence, _created = ActSequence.objects.get_or_create(tenant=tenant, year=year)
    sequence = ActSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"{tenant.application_prefix}-AKT-{year}-{sequence.last_value:05d}"


def draw_up_act(*, removal, kind, actor):
    """The case's act of ``kind``, drawn up once (a second call returns the first); its PDF is
    rendered after commit. Call it inside the transaction of the step it records."""
    existing = removal.acts.filter(kind=kind).first()
    if existing is not None:
        return existing
    tenant = removal.tenant
    language = removal.application.language
    today = tenant.today()
    title, body = wording(tenant, kind, language)
    with translation.override(language):
        text = Template(body).safe_substitute(case_facts(removal))
    try:
        with transaction.atomic():
            act = Act.objects.create(
                tenant=tenant,
                removal=removal,
                kind=kind,
                number=next_act_number(tenant, today.year),
                language=language,
                issued_on=today,
                title=title,
                body=text,
                created_by=actor,
            )
    except IntegrityError:
        return removal.acts.get(kind=kind)
    enqueue_on_commit(RENDER_TASK, act.pk, if_down="the sweep will render it")
    return act
