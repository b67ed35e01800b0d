"""Use cases of the accounts app: the only code that writes users, devices and organizations.

Every function is keyword-only. Links in e-mails are made absolute by ``absolute_url`` (the
request's ``build_absolute_uri``), so they keep the tenant's host or path prefix.
"""

from .organizations import (
    accept_invitation,
    change_member_role,
    create_organization,
    invite_member,
    remove_member,
)
from .password_reset import request_password_reset, send_password_reset
from .registration import confirm_email, register_user, resend_confirmation, send_confirmation
from .two_factor import (
    confirm_totp_device,
    disable_two_factor,
    replace_backup_codes,
    start_totp_setup,
    verify_second_factor,
)

__all__ = [
    "accept_invitation",
    "change_member_role",
    "confirm_email",
    "confirm_totp_device",
    "create_organization",
    "disable_two_factor",
    "invite_member",
    "register_user",
    "remove_member",
    "replace_backup_codes",
    "request_password_reset",
    "resend_confirmation",
    "send_confirmation",
    "send_password_reset",
    "start_totp_setup",
    "verify_second_factor",
]
