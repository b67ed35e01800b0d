from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin_site import TenantScopedAdmin
from portal.delivery import resend_now
from portal.models import Notification


@admin.register(Notification)
class NotificationAdmin(TenantScopedAdmin):
    """The outbox, read-only: what was sent to whom and why a message failed.

    Account messages (registration, password reset) have no tenant, so only superusers see them;
    staff see their own tenant's messages (TenantScopedAdmin filters on the tenant).
    """

    list_display = [
        "created_at",
        "tenant",
        "channel",
        "recipient",
        "subject",
        "template",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["channel", "status", "template", "tenant"]
    search_fields = ["recipient", "subject"]
    date_hierarchy = "created_at"
    list_select_related = ["tenant"]
    actions = ["send_again_now"]
    fields = [
        "tenant",
        "channel",
        "recipient",
        "language",
        "template",
        "subject",
        "body",
        "body_html",
        "attachments",
        "related_type",
        "related_id",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The outbox is the record of what the portal told people; it is never edited away.
        return False

    def has_resend_permission(self, request):
        return request.user.has_perm("portal.change_notification")

    @admin.action(description=_("Send the failed messages again now"), permissions=["resend"])
    def send_again_now(self, request, queryset):
        count = resend_now(queryset)
        if count:
            self.message_user(
                request,
                ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
                % {"count": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, _("Only failed messages can be sent again."), messages.WARNING)
