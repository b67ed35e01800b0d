"""Forms of the cabinet's W4 requests. Each carries a hidden idempotency key (a uuid made when the
form is shown), so posting it twice returns the first application instead of making a second."""

import datetime
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.phones import normalize_phone, phone_hint
from cabinet.services.requests import MAX_CLAIM_BYTES, MAX_CLAIM_FILES
from portal.dates import add_months
from portal.forms import IdempotencyKeyField, QuantityField
from portal.uploads import ACCEPTED_EXTENSIONS, clean_upload

LIMIT_MONTHS_AHEAD = 12
MAX_EMPLOYEES = 200
EMPLOYEE_FIELDS = ["full_name", "position", "personal_number", "passport_number", "phone"]


class RequestForm(forms.Form):
    idempotency_key = IdempotencyKeyField()


def first_days_ahead(today, count):
    """The first days of the ``count`` months after ``today``'s month."""
    return [add_months(today, ahead) for ahead in range(1, count + 1)]


class LimitChangeForm(RequestForm):
    new_limit = QuantityField(
        label=_("New monthly limit"),
        max_digits=14,
        decimal_places=3,
        min_value=Decimal("0.001"),
        negative_message=_("The new monthly limit must be above zero."),
        help_text=_("In the contract's unit (kWh or m³), up to three decimals."),
    )
    effective_from = forms.TypedChoiceField(
        label=_("Effective from"),
        coerce=datetime.date.fromisoformat,
        help_text=_("A new limit starts on the first day of a coming month."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].choices = [
            (day.isoformat(), date_format(day, "YEAR_MONTH_FORMAT"))
            for day in first_days_ahead(today, LIMIT_MONTHS_AHEAD)
        ]
        self.fields["effective_from"].error_messages["invalid_choice"] = _(
            "Choose the first day of one of the coming months."
        )


BANK_CODE_RE = re.compile(r"^\d{5,9}$")
ACCOUNT_DIGITS_RE = re.compile(r"^\d{20}$")
IBAN_RE = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")


def without_spaces(value):
    return "".join(value.split()).upper()


class RequisitesChangeForm(RequestForm):
    bank_name = forms.CharField(label=_("Bank"), max_length=200)
    bank_code = forms.CharField(
        label=_("Bank code (BIC/MFO)"),
        max_length=20,
        help_text=_("Digits only: 5 for an MFO code, 9 for a BIC."),
    )
    bank_account = forms.CharField(
        label=_("Settlement account"),
        max_length=40,
        help_text=_("20 digits, or an IBAN. Spaces are ignored."),
    )
    letter = forms.FileField(
        label=_("Supporting letter (PDF)"),
        required=False,
        help_text=_("The signed letter about the new requisites, as a PDF of up to 10 MB."),
    )

    def clean_bank_code(self):
        code = without_spaces(self.cleaned_data["bank_code"])
        if not BANK_CODE_RE.match(code):
            raise ValidationError(
                _("Enter the bank code as 5 to 9 digits (an MFO has 5, a BIC 9)."), code="bad_bank_code"
            )
        return code

    def clean_bank_account(self):
        account = without_spaces(self.cleaned_data["bank_account"])
        if not (ACCOUNT_DIGITS_RE.match(account) or IBAN_RE.match(account)):
            raise ValidationError(
                _("Enter the settlement account as 20 digits or as an IBAN (two letters, then digits)."),
                code="bad_bank_account",
            )
        return account

    def clean_letter(self):
        letter = self.cleaned_data.get("letter")
        if not letter:
            return None
        content = clean_upload(letter)
        if not content.name.endswith(".pdf"):
            raise ValidationError(_("Attach the letter as a PDF."), code="not_pdf")
        return content, letter.name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by meters.uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def claim_files_hint():
    return gettext("Up to %(count)s files (%(formats)s), at most 10 MB each and %(total)s MB together.") % {
        "count": MAX_CLAIM_FILES,
        "formats": ACCEPTED_EXTENSIONS,
        "total": MAX_CLAIM_BYTES // (1024 * 1024),
    }


class ClaimForm(RequestForm):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(label=_("Text"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        # Evaluated when the form is shown, in the reader's language: not once at import.
        help_text=lazy(claim_files_hint, str)(),
    )

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_CLAIM_FILES:
            raise ValidationError(
                _("Attach at most %(count)s files."), code="too_many_files", params={"count": MAX_CLAIM_FILES}
            )
        if sum(f.size for f in files) > MAX_CLAIM_BYTES:
            raise ValidationError(
                _("The files together are larger than %(total)s MB."),
                code="too_large_together",
                params={"total": MAX_CLAIM_BYTES // (1024 * 1024)},
            )
        cleaned, errors = [], []
        for uploaded in files:
            try:
                cleaned.append((clean_upload(uploaded), uploaded.name))
            except ValidationError as error:
                errors.extend(f"{uploaded.name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class FollowUpForm(forms.Form):
    note = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Added to the application's history; the supply company's staff see it."),
    )


# -- employee lists -------------------------------------------------------------------------------


class EmployeeForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200)
    personal_number = forms.CharField(label=_("Personal number"), max_length=40)
    passport_number = forms.CharField(label=_("Identity document number"), max_length=40, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["phone"].help_text = phone_hint(region)

    def clean_personal_number(self):
        return without_spaces(self.cleaned_data["personal_number"])

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return normalize_phone(phone, self.region) if phone else ""


class BaseEmployeeFormSet(BaseFormSet):
    def initial_form_count(self):
        return 0  # every row is new: an untouched row is skipped wherever it is

    def filled_forms(self):
        return [form for form in self.forms if form.has_changed()]

    def clean(self):
        if any(self.errors):
            return
        filled = self.filled_forms()
        if not filled:
            raise ValidationError(_("Enter at least one employee."), code="no_employees")
        seen = {}
        for form in filled:
            number = form.cleaned_data["personal_number"]
            if number in seen:
                form.add_error(
                    "personal_number",
                    _("Personal number %(number)s is already in row %(row)s. Enter each employee once.")
                    % {"number": number, "row": seen[number]},
                )
            else:
                seen[number] = self.forms.index(form) + 1
        if any(self.errors):
            raise ValidationError(_("Each personal number may appear once in a list."), code="duplicate")

    def employees(self):
        return [{name: form.cleaned_data[name] for name in EMPLOYEE_FIELDS} for form in self.filled_forms()]


def employee_formset(extra=0):
    return formset_factory(
        EmployeeForm,
        formset=BaseEmployeeFormSet,
        extra=extra,
        min_num=1,
        max_num=MAX_EMPLOYEES,
        absolute_max=MAX_EMPLOYEES,
        validate_max=True,
    )


class EmployeeListForm(RequestForm):
    signer_name = forms.CharField(label=_("Signed by: full name"), max_length=120)
    signer_position = forms.CharField(label=_("Signed by: position"), max_length=70)
    declaration = forms.BooleanField(
        label=_("I confirm the list is signed"),
        help_text=_("The signed paper list is kept by the organization and shown to the supply company on request."),
    )

    def signed_by(self):
        return f"{self.cleaned_data['signer_name']}, {self.cleaned_data['signer_position']}"
