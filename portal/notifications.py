"""The notification outbox: the one way the portal sends e-mail and SMS.

``queue_notification`` is called inside the transaction of the business change it reports. It
renders the message in the recipient's language and writes a ``Notification`` row; after the
transaction commits, Celery is told to send it. If the broker is down the row stays pending and
the periodic sweep (portal.tasks.sweep_pending_notifications) sends it later.

Message templates live in templates/notifications/<name>/: ``subject.txt``, ``body.txt`` and
optionally ``body.html`` for e-mail, ``sms.txt`` for SMS. They are rendered under the recipient's
language, so each template's {% translate %} strings come out in az, ru, uz or en.
"""

from django.contrib.contenttypes.models import ContentType
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

from portal import queue
from portal.models import Notification

# By its dotted path, resolved when publishing (a lazy import before): the Celery tasks module
# need not load with every module that queues a message.
SEND_TASK = "portal.tasks.send_notification"
IF_BROKER_DOWN = "the sweep will send it"


def render_message(template, context, language, channel):
    """Return (subject, body, body_html) of a message template in ``language``."""
    base = f"notifications/{template}/"
    with translation.override(language):
        if channel == Notification.Channel.SMS:
            return "", render_to_string(base + "sms.txt", context).strip(), ""
        subject = " ".join(render_to_string(base + "subject.txt", context).split())
        body = render_to_string(base + "body.txt", context).strip() + "\n"
        try:
            body_html = get_template(base + "body.html").render(context)
        except TemplateDoesNotExist:
            body_html = ""
    return subject, body, body_html


def queue_notification(*, tenant, channel, recipient, template, context, language, related=None, attachments=()):
    """Write one outgoing message to the outbox and publish it once the transaction commits."""
    subject, body, body_html = render_message(template, {**context, "tenant": tenant}, language, channel)
    notification = Notification.objects.create(
        tenant=tenant,
        channel=channel,
        recipient=recipient,
        language=language,
        template=template,
        subject=subject[:250],
        body=body,
        body_html=body_html,
        attachments=list(attachments),
        related_type=ContentType.objects.get_for_model(related) if related is not None else None,
        related_id=str(related.pk) if related is not None else "",
    )
    publish_on_commit(notification.pk)
    return notification


def notify_user(*, tenant, user, template, context, related=None, channels=("email",), email=None, phone=None):
    """Queue a message to a user on each channel he can be reached on, in his language."""
    from django.conf import settings

    language = user.preferred_language or (tenant.default_language if tenant else settings.LANGUAGE_CODE)
    sent = []
    for channel in channels:
        recipient = (email or user.email) if channel == Notification.Channel.EMAIL else (phone or user.phone)
        if recipient:
            sent.append(
                queue_notification(
                    tenant=tenant, channel=channel, recipient=recipient, template=template,
                    context={**context, "user": user}, language=language, related=related,
                )
            )
    return sent


def publish(notification_id):
    """Tell Celery to send a committed notification now (the sweep, the admin's resend). Never
    raises: when the broker is down the row stays pending and the sweep sends it later."""
    queue.publish(SEND_TASK, notification_id, if_down=IF_BROKER_DOWN)


def publish_on_commit(notification_id):
    """``publish`` once the transaction that wrote the row commits; nothing on rollback."""
    queue.enqueue_on_commit(SEND_TASK, notification_id, if_down=IF_BROKER_DOWN)
