"""W4 requests of the legal-entity cabinet: limit changes, bank requisites, applications and
claims, employee lists. Each is an application of the shared workflow (numbering, branch routing
by the contract's account, due date, timeline) with its payload written in the same transaction;
staff decisions that change the contract or the organization are applied in the transaction that
executes the application, so the two never disagree.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_owner
from applications import services
from applications.models import Attachment, Status
from cabinet.kinds import Code
from cabinet.models import Claim, Employee, EmployeeList, LimitChangeRequest, RequisitesChange
from meters.models import Contract
from portal.notifications import notify_user

MAX_CLAIM_FILES = 5
MAX_CLAIM_BYTES = 20 * 1024 * 1024


def _open(*, contract, applicant, kind_code, idempotency_key, language):
    """The application behind a request; the account routes it to the branch that serves the contract."""
    return services.open_application(
        tenant=contract.tenant,
        kind_code=kind_code,
        applicant=applicant,
        idempotency_key=idempotency_key,
        language=language,
        organization=contract.organization,
        account=contract.account,
        # E-mail only: status changes of office paperwork are not worth an SMS.
        contact_email=applicant.email,
    )


def _attach(*, application, files, uploaded_by):
    """``files`` are (ContentFile already cleaned by meters.uploads, the user's file name) pairs."""
    for content, original_name in files:
        attachment = Attachment(application=application, original_name=original_name[:200], uploaded_by=uploaded_by)
        attachment.file.save(content.name, content, save=False)
        attachment.save()


# -- requests from the cabinet ------------------------------------------------------------------


def request_limit_change(*, contract, applicant, new_limit, effective_from, reason, idempotency_key, language):
    if new_limit <= 0:
        raise ValidationError(_("The new monthly limit must be above zero."), code="limit_not_positive")
    if effective_from.day != 1:
        raise ValidationError(_("A new limit starts on the first day of a month."), code="not_first_of_month")
    with transaction.atomic():
        application, created = _open(
            contract=contract,
            applicant=applicant,
            kind_code=Code.LIMIT_CHANGE,
            idempotency_key=idempotency_key,
            language=language,
        )
        if created:
            LimitChangeRequest.objects.create(
                application=application,
                contract=contract,
                current_limit=contract.monthly_limit,
                new_limit=new_limit,
                effective_from=effective_from,
                reason=reason,
            )
    return application


def request_requisites_change(
    *, contract, applicant, bank_name, bank_code, bank_account, letter=None, idempotency_key, language
):
    """New bank details, applied to the organization only when staff confirm them.

    Only the organization's owners may ask: the bank account is where the supply company sends
    refunds, so an accountant cannot redirect the company's money on his own.
    """
    if not is_owner(contract.organization, applicant):
        raise PermissionDenied(_("Only an owner of the organization can change its bank requisites."))
    with transaction.atomic():
        application, created = _open(
            contract=contract,
            applicant=applicant,
            kind_code=Code.REQUISITES_CHANGE,
            idempotency_key=idempotency_key,
            language=language,
        )
        if created:
            RequisitesChange.objects.create(
                application=application,
                organization=contract.organization,
                bank_name=bank_name,
                bank_code=bank_code,
                bank_account=bank_account,
            )
            # The letter is an attachment like a claim's files: one download route, one admin inline.
            if letter is not None:
                _attach(application=application, files=[letter], uploaded_by=applicant)
    return application


def submit_claim(*, contract, applicant, subject, text, files=(), idempotency_key, language):
    files = list(files)
    if len(files) > MAX_CLAIM_FILES:
        raise ValidationError(
            _("Attach at most %(count)s files."), code="too_many_files", params={"count": MAX_CLAIM_FILES}
        )
    with transaction.atomic():
        application, created = _open(
            contract=contract,
            applicant=applicant,
            kind_code=Code.CLAIM,
            idempotency_key=idempotency_key,
            language=language,
        )
        if created:
            Claim.objects.create(application=application, contract=contract, subject=subject, text=text)
            _attach(application=application, files=files, uploaded_by=applicant)
    return application


def submit_employee_list(*, contract, applicant, signed_by, employees, idempotency_key, language):
    """``employees``: dicts with full_name, position, personal_number, passport_number, phone."""
    employees = list(employees)
    if not employees:
        raise ValidationError(_("Enter at least one employee."), code="no_employees")
    numbers = [employee["personal_number"] for employee in employees]
    if len(set(numbers)) != len(numbers):
        raise ValidationError(_("Each personal number may appear once in a list."), code="duplicate_personal_number")
    with transaction.atomic():
        application, created = _open(
            contract=contract,
            applicant=applicant,
            kind_code=Code.EMPLOYEE_LIST,
            idempotency_key=idempotency_key,
            language=language,
        )
        if created:
            employee_list = EmployeeList.objects.create(application=application, contract=contract, signed_by=signed_by)
            Employee.objects.bulk_create(Employee(employee_list=employee_list, **employee) for employee in employees)
    return application


def add_follow_up(*, application, author, note):
    """The applicant's organization adds to an open claim; the note is on the timeline staff see.

    An answer to the staff's question puts the claim back into review, so it returns to their queue.
    """
    if application.kind.code != Code.CLAIM:
        raise ValidationError(_("Only applications and claims take follow-up messages."), code="not_a_claim")
    if application.is_closed:
        raise ValidationError(_("This application is closed; submit a new one."), code="closed")
    with transaction.atomic():
        event = services.add_comment(application=application, actor=author, note=note, public=True)
        if application.status == Status.WAITING_FOR_APPLICANT:
            services.transition(application=application, to_status=Status.IN_REVIEW, actor=author, notify=False)
    return event


# -- staff decisions (admin) ----------------------------------------------------------------------


def _execute(application, actor):
    """Execute inside the caller's transaction; raises ValidationError when the workflow forbids it,
    so a second confirmation of the same request changes nothing."""
    return services.transition(application=application, to_status=Status.EXECUTED, actor=actor)


def confirm_limit_change(*, application, actor):
    with transaction.atomic():
        _execute(application, actor)
        change = LimitChangeRequest.objects.select_for_update().get(application=application)
        Contract.objects.filter(pk=change.contract_id).update(monthly_limit=change.new_limit)
        change.applied_at = timezone.now()
        change.save(update_fields=["applied_at"])
    return change


def confirm_requisites_change(*, application, actor):
    with transaction.atomic():
        _execute(application, actor)
        change = (
            RequisitesChange.objects.select_for_update().select_related("organization").get(application=application)
        )
        organization = change.organization
        organization.bank_name = change.bank_name
        organization.bank_code = change.bank_code
        organization.bank_account = change.bank_account
        organization.save(update_fields=["bank_name", "bank_code", "bank_account"])
        change.applied_at = timezone.now()
        change.save(update_fields=["applied_at"])
    return change


def mark_list_received(*, application, actor):
    """ "Received" is the workflow's in_review: the signed list has reached the supply company."""
    _require_kind(application, Code.EMPLOYEE_LIST)
    return services.transition(application=application, to_status=Status.IN_REVIEW, actor=actor)


def confirm_list(*, application, actor):
    _require_kind(application, Code.EMPLOYEE_LIST)
    return _execute(application, actor)


def confirm_claim(*, application, actor):
    """A claim is executed once answered: nothing to apply, the reply is on the timeline."""
    _require_kind(application, Code.CLAIM)
    return _execute(application, actor)


def confirm_and_apply(*, application, actor):
    """The staff's "Confirm and apply": a limit change or new requisites take effect with the
    execution; a claim is closed as answered (each kind's confirmer, as cabinet/apps.py registers it)."""
    return services.confirm(application=application, actor=actor)


def reply_to_applicant(*, application, actor, note):
    """A staff reply: a public comment on the timeline, and an e-mail telling the applicant."""
    with transaction.atomic():
        event = services.add_comment(application=application, actor=actor, note=note, public=True)
        tenant = application.tenant
        notify_user(
            tenant=tenant,
            user=application.applicant,
            template="request_reply",
            context={"application": application, "note": event.note, "url": request_url(application)},
            related=application,
            email=application.contact_email or None,
        )
    return event


def request_url(application):
    contract = Contract.objects.filter(account_id=application.account_id).only("pk").first()
    if contract is None:
        return application.tenant.absolute_url("applications:detail", number=application.number)
    return application.tenant.absolute_url(
        "cabinet:request_detail", contract_id=contract.pk, number=application.number
    )


def _require_kind(application, code):
    if application.kind.code != code:
        raise ValidationError(
            _("%(number)s is not of the kind “%(kind)s”."),
            code="wrong_kind",
            params={"number": application.number, "kind": Code(code).label},
        )
