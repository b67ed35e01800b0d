"""Who W3 tells what: the consumer (the account's holders, else the applicant) on every step the
rules make him officially informed of (§2.6), and the branch's staff (§2.2, late stages). All
through the outbox, in the caller's transaction."""

from django.db.models import Q

from applications.services import notify_applicant
from portal.models import Notification, StaffMembership
from portal.notifications import notify_user, queue_notification


def case_url(removal):
    return removal.tenant.absolute_url("removals:case_detail", number=removal.application.number)


def notify_consumer(removal, *, template, context=None, sms=True):
    """E-mail (and SMS) every holder of the case's account, in his language; the applicant when
    the account has no holder on the portal yet."""
    application = removal.application
    context = {"removal": removal, "application": application, "url": case_url(removal), **(context or {})}
    channels = ("email", "sms") if sms else ("email",)
    holders = list(application.account.users.all()) if application.account_id else []
    sent = []
    for user in holders:
        sent += notify_user(
            tenant=removal.tenant, user=user, template=template, context=context, related=removal, channels=channels
        )
    if not holders:
        notify_applicant(application, template=template, context=context)
    return sent


def branch_staff_emails(tenant, branch):
    """E-mails of the tenant's staff whose membership covers ``branch`` (all branches, or it)."""
    memberships = StaffMembership.objects.for_tenant(tenant).filter(user__is_active=True)
    if branch is not None:
        memberships = memberships.filter(Q(branches=branch) | Q(branches__isnull=True))
    return sorted({email for email in memberships.values_list("user__email", flat=True) if email})


def notify_branch(removal, *, template, context=None, emails=None):
    tenant = removal.tenant
    context = {"removal": removal, "application": removal.application, **(context or {})}
    recipients = emails if emails is not None else branch_staff_emails(tenant, removal.application.branch)
    return [
        queue_notification(
            tenant=tenant,
            channel=Notification.Channel.EMAIL,
            recipient=email,
            template=template,
            context=context,
            language=tenant.default_language,
            related=removal,
        )
        for email in recipients
    ]
