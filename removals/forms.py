"""The consumer's forms of W3: report a fault or ask for verification, and ask to attend."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.phones import normalize_phone
from portal.forms import IdempotencyKeyField
from removals.models import Reason


class OpenCaseForm(forms.Form):
    """§1.1 (b)/(g) a fault or a leak, or §1.3 a verification at his own request (paid)."""

    FAULT = "fault"
    VERIFICATION = "verification"
    WHAT = [
        (FAULT, _("Report a fault or a leak (free)")),
        (VERIFICATION, _("Ask for a state verification at my own request (paid: see the fee)")),
    ]
    FAULTS = [
        (Reason.MALFUNCTION, Reason.MALFUNCTION.label),
        (Reason.LEAK, Reason.LEAK.label),
        (Reason.CONSUMPTION_MISMATCH, Reason.CONSUMPTION_MISMATCH.label),
    ]

    meter = forms.TypedChoiceField(label=_("Meter"), coerce=int)
    what = forms.ChoiceField(label=_("What do you ask for?"), choices=WHAT, widget=forms.RadioSelect)
    fault = forms.ChoiceField(label=_("What is wrong with the meter?"), choices=FAULTS, required=False)
    notes = forms.CharField(
        label=_("Describe it"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attend = forms.BooleanField(label=_("I want to attend every stage, including the test bench"), required=False)
    contact_phone = forms.CharField(
        label=_("Mobile phone for SMS"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    idempotency_key = IdempotencyKeyField()

    def __init__(self, *args, meters, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.meters = {meter.pk: meter for meter in meters}
        self.fields["meter"].choices = [
            (meter.pk, f"{meter.account.code} · {meter.account.address} · №{meter.serial_number} {meter.model}")
            for meter in meters
        ]

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        return normalize_phone(phone, self.region) if phone else ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("what") == self.FAULT and not cleaned.get("fault"):
            self.add_error("fault", _("Say what is wrong with the meter."))
        return cleaned

    @property
    def reason(self):
        if self.cleaned_data["what"] == self.VERIFICATION:
            return Reason.CONSUMPTION_MISMATCH
        return self.cleaned_data["fault"]

    @property
    def meter_obj(self):
        return self.meters[self.cleaned_data["meter"]]
