"""Linking supply contracts to an organization's cabinet (W4, W5), and staff's decision on links.

Rules decided here:
- Any member of the organization (owner or accountant) may link and remove contracts: the
  accountant is usually the one who files the readings, and a removed contract can be linked
  again with the same two numbers, so nothing is lost by letting him.
- A contract matches when the tax number and the contract number both match a contract of the
  tenant AND the organization's own tax number is the contract's: a company links only its own
  contracts, even if it learnt someone else's pair.
- Every refusal that involves somebody else's data (wrong pair, not our tax number, linked to
  another organization) gives the same neutral message and counts as a failed attempt.
- Failed attempts are counted per user and, with a higher limit, per client IP address (the
  rate-limit policy ``contract_link_failure`` of portal.ratelimit). Each attempt is counted before
  the pair is looked at, in one atomic step with the check, and given back when it succeeds: of
  any number of concurrent tries no more than the limit reach the contracts.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import is_verified_representative, require_member
from cabinet.models import ContractLink
from meters.models import Contract
from portal import ratelimit

LinkStatus = ContractLink.Status

# -- throttling -------------------------------------------------------------------------------

THROTTLE = "contract_link_failure"


def link_retry_after(*, user, client_ip=None):
    """Seconds until the user (or his address) may try again; 0 when not throttled.

    The window opens with the first failure and closes the policy's window later."""
    return ratelimit.retry_after(THROTTLE, user=user.pk, ip=client_ip)


def _throttled_error(seconds):
    return ValidationError(ratelimit.retry_message(seconds), code="throttled")


def no_match_error(tenant):
    # One text for every refusal that would otherwise tell which half of the pair was wrong or
    # that the pair belongs to a contract linked elsewhere.
    return ValidationError(
        _(
            "No contract matches this tax number and contract number. Check both numbers; if they are "
            "right, contact %(tenant)s."
        )
        % {"tenant": tenant.local_name},
        code="no_match",
    )


# -- linking ----------------------------------------------------------------------------------


def _normalise(value):
    return "".join(str(value).split())


def request_contract_link(*, tenant, organization, user, tax_number, contract_number, client_ip=None):
    """Link the tenant's contract identified by the pair to the organization, at once or pending
    staff confirmation (``tenant.contract_link_needs_confirmation``). Returns the ContractLink.

    Raises ValidationError: ``throttled`` (the pair is not even looked at), ``no_match``,
    ``already_linked`` or ``already_pending``."""
    require_member(organization, user)
    retry_after = ratelimit.attempt(THROTTLE, user=user.pk, ip=client_ip)
    if retry_after:
        raise _throttled_error(retry_after)

    tax_number, contract_number = _normalise(tax_number), contract_number.strip()
    try:
        with transaction.atomic():
            link = _link(tenant, organization, user, tax_number, contract_number)
    except (_NoMatch, IntegrityError):  # IntegrityError: a concurrent request took the one live link
        raise no_match_error(tenant) from None  # the attempt stays counted
    except ValidationError:  # already linked or pending for this organization: no failure
        ratelimit.refund(THROTTLE, user=user.pk, ip=client_ip)
        raise
    ratelimit.refund(THROTTLE, user=user.pk, ip=client_ip)
    return link


class _NoMatch(Exception):
    pass


def _link(tenant, organization, user, tax_number, contract_number):
    contract = (
        Contract.objects.for_tenant(tenant)
        .select_for_update()
        .filter(number=contract_number, tax_number=tax_number)
        .first()
    )
    if contract is None or organization.tax_number != contract.tax_number:
        raise _NoMatch
    live = contract.links.filter(status__in=[LinkStatus.PENDING, LinkStatus.ACTIVE]).first()
    if live is not None and live.organization_id == organization.pk:
        if live.status == LinkStatus.PENDING:
            raise ValidationError(
                _("This contract is already waiting for %(tenant)s to confirm the link.")
                % {"tenant": tenant.local_name},
                code="already_pending",
            )
        raise ValidationError(_("This contract is already linked to your organization."), code="already_linked")
    if live is not None or (contract.organization_id and contract.organization_id != organization.pk):
        raise _NoMatch  # linked to another organization: it cannot be taken over
    if contract.organization_id == organization.pk:
        # Linked by staff before link history existed (demo, import): nothing to request.
        raise ValidationError(_("This contract is already linked to your organization."), code="already_linked")

    now = timezone.now()
    # A representative whom a state login verified for this company (issue #13) is trusted: the
    # confirmation staff would give is what the state already asserted.
    needs_confirmation = tenant.contract_link_needs_confirmation and not is_verified_representative(organization, user)
    link = ContractLink.objects.create(
        tenant=tenant,
        contract=contract,
        organization=organization,
        requested_by=user,
        status=LinkStatus.PENDING if needs_confirmation else LinkStatus.ACTIVE,
        decided_at=None if needs_confirmation else now,
    )
    if not needs_confirmation:
        contract.organization = organization
        contract.save(update_fields=["organization"])
    return link


def remove_contract_link(*, tenant, contract, user):
    """Take the contract out of the organization's cabinet. Its readings, requests and link
    history stay; the same pair links it again."""
    organization = contract.organization
    if organization is None or contract.tenant_id != tenant.pk:
        raise PermissionDenied
    require_member(organization, user)
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if contract.organization_id != organization.pk:
            return contract  # removed meanwhile by a colleague
        contract.links.filter(organization=organization, status=LinkStatus.ACTIVE).update(
            status=LinkStatus.REMOVED, ended_at=timezone.now()
        )
        contract.organization = None
        contract.save(update_fields=["organization"])
    return contract


# -- staff decisions --------------------------------------------------------------------------


def _pending_link_locked(link):
    link = ContractLink.objects.select_for_update().select_related("contract").get(pk=link.pk)
    if link.status != LinkStatus.PENDING:
        raise ValidationError(
            _("Only a link waiting for confirmation can be decided; this one is “%(status)s”.")
            % {"status": link.get_status_display()},
            code="not_pending",
        )
    return link


def confirm_contract_link(*, link, staff):
    """Staff confirm a pending link: the contract joins the organization's cabinet."""
    with transaction.atomic():
        link = _pending_link_locked(link)
        contract = Contract.objects.select_for_update().get(pk=link.contract_id)
        if contract.organization_id not in (None, link.organization_id):
            raise ValidationError(_("The contract is linked to another organization."), code="linked_elsewhere")
        link.status = LinkStatus.ACTIVE
        link.decided_by = staff
        link.decided_at = timezone.now()
        link.save(update_fields=["status", "decided_by", "decided_at"])
        contract.organization_id = link.organization_id
        contract.save(update_fields=["organization"])
    return link


def reject_contract_link(*, link, staff):
    with transaction.atomic():
        link = _pending_link_locked(link)
        link.status = LinkStatus.REJECTED
        link.decided_by = staff
        link.decided_at = timezone.now()
        link.save(update_fields=["status", "decided_by", "decided_at"])
    return link


def current_link(contract):
    """The live link that put the contract in its organization's cabinet (None when staff linked
    it directly)."""
    if contract.organization_id is None:
        return None
    return (
        contract.links.filter(organization_id=contract.organization_id, status=LinkStatus.ACTIVE)
        .select_related("decided_by", "requested_by")
        .first()
    )
