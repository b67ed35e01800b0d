"""Signed, expiring tokens for links sent by e-mail."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.http import base36_to_int

# A confirmation link is valid for three days.
EMAIL_CONFIRMATION_SECONDS = 3 * 24 * 3600


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for the "confirm your e-mail" link.

    The hash covers ``email_confirmed`` and the address, so a link stops working once it has been
    used and if the address changes. A separate salt keeps these tokens useless as password-reset
    tokens and vice versa.
    """

    key_salt = "accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.email_confirmed}{timestamp}"

    def check_token(self, user, token):
        if not super().check_token(user, token):
            return False
        # The base class measures against PASSWORD_RESET_TIMEOUT; ours has its own lifetime.
        timestamp = base36_to_int(token.split("-")[0])
        return self._num_seconds(self._now()) - timestamp <= EMAIL_CONFIRMATION_SECONDS


email_confirmation_token = EmailConfirmationTokenGenerator()
