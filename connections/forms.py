"""The W2 form in its four parts, each validated on the step that needs it: the application data
(the quote's inputs) on "Calculate", the object on "Continue", the contact on "Send code" and
everything on "Send application". Messages in the user's language; nothing here saves."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.phones import phone_hint
from connections.fees import MAX_POWER_KW, POWER_STEP_KW, ApplicantKind, ObjectKind, Phase, Term
from connections.models import District
from connections.services.phones import normalize_mobile
from portal.forms import IdempotencyKeyField, QuantityField
from portal.l10n import number


class Step:
    CALCULATE = "calculate"
    LOCATE = "locate"
    SEND_CODE = "send_code"
    CONFIRM_CODE = "confirm_code"
    SUBMIT = "submit"
    ALL = (CALCULATE, LOCATE, SEND_CODE, CONFIRM_CODE, SUBMIT)


class ApplicationDataForm(forms.Form):
    """What the fee depends on."""

    applicant_kind = forms.ChoiceField(
        label=_("I apply as"), choices=ApplicantKind.choices, widget=forms.RadioSelect, initial=ApplicantKind.HOUSEHOLD
    )
    term = forms.ChoiceField(
        label=_("Execution term"), choices=Term.choices, widget=forms.RadioSelect, initial=Term.STANDARD
    )
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices, widget=forms.RadioSelect, initial=Phase.SINGLE)
    power_kw = QuantityField(
        label=_("Requested power, kW"),
        help_text=_("Up to 150 kW, in steps of 0.1 kW (e.g. 8.5)."),
        negative_message=_("Enter a power above 0 kW."),
    )
    object_kind = forms.ChoiceField(
        label=_("Object"), choices=ObjectKind.choices, widget=forms.RadioSelect, initial=ObjectKind.HOUSE
    )
    building_has_general_conditions = forms.BooleanField(
        label=_("The building already has general technical conditions (apartments only: no fee)"), required=False
    )

    def clean_power_kw(self):
        power = self.cleaned_data["power_kw"]
        if power is None or not power.is_finite():
            raise forms.ValidationError(_("Enter the requested power as a number of kW."), code="power_invalid")
        if power <= 0:
            raise forms.ValidationError(_("Enter a power above 0 kW."), code="power_not_positive")
        if power > MAX_POWER_KW:
            raise forms.ValidationError(
                _("The service connects up to %(limit)s kW; enter %(limit)s kW or less."),
                code="power_above_limit",
                params={"limit": number(MAX_POWER_KW)},
            )
        if power % POWER_STEP_KW:
            raise forms.ValidationError(_("Enter the power in steps of 0.1 kW (e.g. 8.5)."), code="power_step")
        return power.quantize(Decimal("0.1"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("object_kind") != ObjectKind.APARTMENT:
            cleaned["building_has_general_conditions"] = False
        return cleaned


class ObjectDataForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        empty_label=_("Choose the district"),
        error_messages={"invalid_choice": _("Choose the district from the list.")},
    )
    registry_number = forms.CharField(
        label=_("Registry number"), max_length=40, help_text=_("As in the extract from the property registry.")
    )
    registration_number = forms.CharField(label=_("Registration number"), max_length=40)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.for_tenant(tenant).order_by("name")


class ContactForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    sms_code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    idempotency_key = IdempotencyKeyField()

    def __init__(self, *args, region, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["phone"].help_text = _("A mobile number: we send a code to confirm it. %(hint)s") % {
            "hint": phone_hint(region)
        }
        self.step = step
        self.fields["sms_code"].required = step == Step.CONFIRM_CODE

    def clean(self):
        cleaned = super().clean()
        # "Send code" and "Confirm" need only the number: an e-mail not typed yet is asked for
        # when sending the application (the field stays marked as required).
        if self.step != Step.SUBMIT and not self.data.get("email", "").strip():
            self.errors.pop("email", None)
        return cleaned

    def clean_phone(self):
        return normalize_mobile(self.cleaned_data["phone"].strip(), self.region)
