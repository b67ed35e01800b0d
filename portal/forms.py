"""Form pieces every workflow's forms share."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_idempotency_key(value):
    """The key as stored (32 lower-case hex digits), or None when ``value`` is not a UUID."""
    try:
        return uuid.UUID(str(value)).hex
    except ValueError:
        return None


def carried_idempotency_key(value):
    """The key a re-shown form carries on: the posted one if it is a key, else a new one (a NUL
    byte or a long string in the hidden field is never written back into the page)."""
    return normalize_idempotency_key(value) or uuid.uuid4().hex


class IdempotencyKeyField(forms.CharField):
    """A hidden key made when the form is shown, so posting the same form twice (a double click,
    a retry) returns the first application instead of registering a second one."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("initial", lambda: uuid.uuid4().hex)  # a new key each time a form is built
        super().__init__(**kwargs)

    def clean(self, value):
        key = normalize_idempotency_key(super().clean(value))
        if key is None:
            raise ValidationError(_("The form has expired. Open it again."), code="bad_key")
        return key


class DateInput(forms.DateInput):
    """``<input type="date">`` with its value in ISO: browsers accept only ``YYYY-MM-DD`` there, so a
    value in the language's format (``01.12.2026`` in az, ru, uz) showed an empty field."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 (Django's name)
        super().__init__(attrs=attrs, format=format)
