"""Form pieces every workflow's forms share."""

import re
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


# A number as people type it: digits, an optional sign and at most one decimal comma or point.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_SHOWN_CHARS = 20


def not_a_number(text):
    """The ValidationError for a value that is not a plain number, saying why ("1,2,3", "12.3.4",
    "12a"): a bare "Enter a number" leaves the user guessing what is wrong with what he typed."""
    compact = "".join(str(text).split())
    shown = compact if len(compact) <= _SHOWN_CHARS else compact[:_SHOWN_CHARS] + "…"
    if any(char.isalpha() for char in compact):
        message = _("Not a number: “%(value)s” contains letters. Enter digits only.")
    elif compact.count(",") + compact.count(".") > 1:
        message = _(
            "Not a number: “%(value)s” has more than one decimal separator. Use one comma or point, e.g. 1234,5."
        )
    else:
        message = _("Not a number: “%(value)s”. Enter digits with at most one decimal comma or point.")
    return ValidationError(message, code="invalid", params={"value": shown})


def is_plain_number(text):
    return bool(_PLAIN_NUMBER.fullmatch("".join(str(text).split())))


class QuantityField(forms.DecimalField):
    """A reading, volume or limit typed by a citizen or a company: a decimal comma or point in
    every language, a reason when the text is not a number, and a message in the user's language
    for a negative value instead of Django's "Ensure this value is greater than or equal to 0"."""

    def __init__(self, *, negative_message=None, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.error_messages["min_value"] = negative_message or _("The value cannot be negative.")

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = "".join(str(value).split())
        if not is_plain_number(text):
            raise not_a_number(text)
        return super().to_python(text.replace(",", "."))

    def widget_attrs(self, widget):
        # A comma cannot be typed into <input type="number"> on many phones' keyboards.
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        if isinstance(widget, forms.NumberInput):
            widget.input_type = "text"
        attrs.setdefault("inputmode", "decimal")
        return attrs


class DateInput(forms.DateInput):
    """``<input type="date">`` with its value in ISO: browsers accept only ``YYYY-MM-DD`` there, so a
    value in the language's format (``01.12.2026`` in az, ru, uz) showed an empty field."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 (Django's name)
        super().__init__(attrs=attrs, format=format)
