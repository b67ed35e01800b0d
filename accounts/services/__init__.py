"""Use cases of the accounts app: the only code that writes users, devices and organizations.

Every function is keyword-only. Links in e-mails are made absolute by ``absolute_url`` (the
request's ``build_absolute_uri``), so they keep the tenant's host or path prefix.
"""

from .contracts import (
    confirm_contract_link,
    link_retry_after,
    reject_contract_link,
    remove_contract_link,
    request_contract_link,
)
from .organizations import (
    accept_invitation,
    change_member_role,
    create_organization,
    invite_member,
    remove_member,
)
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
    "confirm_contract_link",
    "confirm_email",
    "confirm_totp_device",
    "create_organization",
    "disable_two_factor",
    "invite_member",
    "link_retry_after",
    "register_user",
    "reject_contract_link",
    "remove_contract_link",
    "remove_member",
    "replace_backup_codes",
    "request_contract_link",
    "resend_confirmation",
    "send_confirmation",
    "start_totp_setup",
    "verify_second_factor",
]
