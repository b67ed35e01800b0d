"""What each step of a case asks staff for (removals.admin runs them through the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import DateInput, IdempotencyKeyField
from portal.uploads import clean_upload
from removals.kinds import STAGES
from removals.models import Channel, Reason, Result


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None, format="%Y-%m-%dT%H:%M"):  # noqa: A002 (Django's name)
        super().__init__(attrs=attrs, format=format)


def datetime_field(label):
    return forms.DateTimeField(label=label, widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class ConfirmForm(forms.Form):
    """A step that needs nothing but a person's confirmation (§2.8: never automatic)."""


class OpenCaseAdminForm(forms.Form):
    account_code = forms.CharField(label=_("Subscriber code"), max_length=32)
    serial_number = forms.CharField(label=_("Factory number of the meter"), max_length=40)
    reason = forms.ChoiceField(label=_("Reason (§1.1)"), choices=Reason.choices)
    channel = forms.ChoiceField(label=_("Reported by"), choices=Channel.choices)
    reporter_name = forms.CharField(label=_("Name of the reporter"), max_length=200, required=False)
    requested_by_consumer = forms.BooleanField(
        label=_("Verification at the consumer's request (paid, §1.3)"), required=False
    )
    natural_disaster = forms.BooleanField(label=_("Ruined by a natural disaster (free, §1.5)"), required=False)
    attendance_requested = forms.BooleanField(
        label=_("The consumer wishes to attend the stages (§2.3)"), required=False
    )
    idempotency_key = IdempotencyKeyField()


class RemovalForm(forms.Form):
    removed_at = datetime_field(_("Removed at"))
    reading = forms.DecimalField(
        label=_("Reading at removal"), max_digits=12, decimal_places=3, min_value=0, required=False
    )
    seals = forms.CharField(label=_("Seal numbers (comma-separated)"), max_length=200, required=False)
    consumer_present = forms.TypedChoiceField(
        label=_("Consumer present"), choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes"
    )
    bag_number = forms.CharField(label=_("Sealed bag number"), max_length=40, required=False)
    photo = forms.FileField(label=_("Photo of the meter"), required=False)
    new_serial = forms.CharField(label=_("Replacement meter: factory number"), max_length=40, required=False)
    new_model = forms.CharField(label=_("Replacement meter: type"), max_length=100, required=False)
    new_reading = forms.DecimalField(
        label=_("Replacement meter: opening reading"), max_digits=12, decimal_places=3, min_value=0, required=False
    )
    new_seal = forms.CharField(label=_("Replacement meter: seal number"), max_length=40, required=False)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            return clean_upload(photo), photo.name
        return None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_serial") and cleaned.get("new_reading") is None:
            self.add_error("new_reading", _("Enter the opening reading of the replacement meter."))
        return cleaned


class SuspendForm(forms.Form):
    reason = forms.CharField(label=_("Why the supply is suspended"), max_length=300)


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("Delivered to the lab on"), widget=DateInput())


class IntakeForm(forms.Form):
    intake_on = forms.DateField(label=_("Intake on"), widget=DateInput())
    reading = forms.DecimalField(label=_("Reading found at intake"), max_digits=12, decimal_places=3, min_value=0)
    seals = forms.CharField(label=_("Seal numbers found at intake"), max_length=200, required=False)


class VerificationForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=Result.choices)
    verified_on = forms.DateField(label=_("Verified on"), widget=DateInput())
    certificate_number = forms.CharField(label=_("Certificate or notice number"), max_length=60)
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput(), required=False)
    verifier_name = forms.CharField(label=_("Verifier"), max_length=200, required=False)
    remarks = forms.CharField(label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=2, min_value=0.01)
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    external_id = forms.CharField(label=_("Payment id (bank's or receipt's)"), max_length=64)


class RestoreForm(forms.Form):
    note = forms.CharField(
        label=_("What was done to remove the cause"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class AppointmentForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=[(stage.code, stage.label) for stage in STAGES])
    planned_at = datetime_field(_("Planned for"))
    place = forms.CharField(label=_("Place"), max_length=300)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Note to the consumer"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
