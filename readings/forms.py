from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from accounts.phones import normalize_phone, phone_hint
from meters.selectors import normalize_serial
from portal.forms import DateInput, IdempotencyKeyField, QuantityField
from readings.services import ReadingLine, assess_line
from readings.services.lookup import look_up_account

MAX_LINES = 20


class SubscriberCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Subscriber code"),
        max_length=32,
        help_text=_("The code printed on your water bill."),
        error_messages={"required": _("Enter your subscriber code.")},
    )

    def __init__(self, *args, tenant, user, client_ip=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tenant = tenant
        self.user = user
        self.client_ip = client_ip
        self.account = None

    def clean_code(self):
        # Throttled and logged there: the step must not list who lives where.
        self.account = look_up_account(
            tenant=self.tenant, user=self.user, code=self.cleaned_data["code"], client_ip=self.client_ip
        )
        return self.account.code


class ReadingLineForm(forms.Form):
    serial_number = forms.CharField(label=_("Factory number"), max_length=40)
    seal_number = forms.CharField(label=_("Seal number"), max_length=40, required=False)
    value = QuantityField(
        label=_("Reading"), max_digits=12, decimal_places=3, negative_message=_("A reading cannot be negative.")
    )
    reading_date = forms.DateField(label=_("Reading date"), widget=DateInput())
    photo = forms.FileField(
        label=_("Photo of the meter"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.heic,.heif"}),
        # The limit is meters.uploads.MAX_UPLOAD_BYTES.
        help_text=_(
            "Required. The factory number and the reading must be clearly readable on it. "
            "PDF, JPG, PNG or HEIC (converted to JPEG), up to 10 MB."
        ),
        error_messages={"required": _("Attach a photo of the meter showing its factory number and the reading.")},
    )
    confirmed = forms.BooleanField(
        label=_("I confirm my reading is correct"),
        required=False,
        help_text=_("Tick this only if the reading is outside the expected range and you are sure it is right."),
    )

    def __init__(
        self,
        *args,
        summaries,
        all_serials,
        today,
        draft=None,
        refusal=None,
        offered=None,
        elsewhere=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.summaries = summaries  # normalized serial -> MeterSummary of the account's active meters
        self.all_serials = all_serials  # normalized serials of every meter of the account, active or not
        # Whether a normalized serial belongs to a meter of another account (refused, not "new").
        self.elsewhere = elsewhere or (lambda serial: False)
        self.today = today
        self.summary = None
        self.unlisted = False  # a factory number the account has no meter with (issue #9, item 5)
        self.assessment = None
        self.fields["reading_date"].initial = today
        # The photo kept from an earlier post of this form (readings.services.drafts) satisfies the
        # field, as a model form's stored file does; a refused upload is reported instead of "required".
        self.draft = draft
        self.refusal = refusal
        self.offered = offered  # (MeterSummary, low, high) of the meter this line was offered for
        if draft is not None:
            self.initial["photo"] = draft
        if refusal is not None:
            self.fields["photo"].required = False

    def clean_serial_number(self):
        serial = self.cleaned_data["serial_number"]
        self.summary = self.summaries.get(normalize_serial(serial))
        if self.summary is None:
            if normalize_serial(serial) in self.all_serials:
                raise ValidationError(
                    _("This meter has been removed or replaced. Enter the factory number of the meter installed now."),
                    code="inactive_meter",
                )
            if self.elsewhere(normalize_serial(serial)):
                raise ValidationError(
                    _("This account has no meter with this factory number. Check the number on the meter."),
                    code="unknown_serial",
                )
            # A meter not registered on the account (new, or a replacement): kept and checked on site.
            self.unlisted = True
        elif self.summary.supply_suspended:
            # Gas meter removal rules §1.2/§2.8: while the supply is suspended the meter is not read.
            raise ValidationError(
                _(
                    "The supply to this meter is suspended, so no reading is taken for it now. It is read again "
                    "once the supply is restored."
                ),
                code="supply_suspended",
            )
        return serial

    def clean_photo(self):
        # The upload itself was checked and re-encoded when it arrived (keep_uploads): what is here
        # is the line's draft, or the reason it was refused.
        if self.refusal is not None:
            raise self.refusal
        return self.cleaned_data.get("photo")

    def clean(self):
        cleaned = super().clean()
        if self.unlisted:
            reading_date = cleaned.get("reading_date")
            if reading_date is not None and reading_date > self.today:
                self.add_error("reading_date", _("The reading date cannot be in the future."))
            return cleaned
        if self.summary is None:
            return cleaned
        self.assessment = assess_line(
            self.summary,
            value=cleaned.get("value"),
            reading_date=cleaned.get("reading_date"),
            entered_seal=cleaned.get("seal_number", ""),
            confirmed=cleaned.get("confirmed", False),
            # A photo that failed its own check already has an error; do not ask for it twice.
            has_photo=bool(cleaned.get("photo")) or "photo" in self.errors,
            today=self.today,
        )
        for name, messages in self.assessment.errors.items():
            for message in messages:
                if name not in self.errors:
                    self.add_error(name, message)
        return cleaned

    def to_line(self):
        data = self.cleaned_data
        return ReadingLine(
            meter=self.summary.meter if self.summary is not None else None,
            entered_serial=data["serial_number"],
            entered_seal=data.get("seal_number", ""),
            value=data["value"],
            reading_date=data["reading_date"],
            photo=self.draft.file.name if self.draft is not None else None,
            confirmed=data.get("confirmed", False),
            # The draft kept the name the citizen's file had, also when it was posted with an earlier try.
            photo_name=self.draft.original_name[:100] if self.draft is not None else self.uploaded_photo_name(),
        )

    def uploaded_photo_name(self):
        """The name of the file the citizen chose (shown back to him on the done page), without
        any folder a browser may send."""
        upload = self.files.get(self.add_prefix("photo")) if self.files else None
        name = getattr(upload, "name", "") or ""
        return name.replace("\\", "/").rsplit("/", 1)[-1][:100]


class BaseReadingLineFormSet(BaseFormSet):
    def initial_form_count(self):
        # Every line is new: an untouched line is skipped, whatever its position.
        return 0

    def clean(self):
        if any(self.errors):
            return
        filled = self.filled_forms()
        if not filled:
            raise ValidationError(_("Enter the reading of at least one meter."), code="no_lines")
        seen = set()
        for form in filled:
            key = (
                form.summary.meter.pk
                if form.summary is not None
                else normalize_serial(form.cleaned_data["serial_number"])
            )
            if key in seen:
                serial = (
                    form.summary.meter.serial_number if form.summary is not None else form.cleaned_data["serial_number"]
                )
                raise ValidationError(
                    _("Meter %(serial)s is entered twice. Enter each meter once."),
                    code="duplicate_meter",
                    params={"serial": serial},
                )
            seen.add(key)

    def filled_forms(self):
        return [form for form in self.forms if form.has_changed() and (form.summary is not None or form.unlisted)]

    def get_form_kwargs(self, index):
        kwargs = dict(super().get_form_kwargs(index))
        drafts, refused, offered = kwargs.pop("drafts", {}), kwargs.pop("refused", {}), kwargs.pop("offered", [])
        if index is not None:
            kwargs["draft"] = drafts.get(index)
            kwargs["refusal"] = refused.get(index)
            kwargs["offered"] = offered[index] if index < len(offered) else None
        return kwargs

    def lines(self):
        return [form.to_line() for form in self.filled_forms()]


def line_formset(extra=0):
    return formset_factory(
        ReadingLineForm,
        formset=BaseReadingLineFormSet,
        extra=extra,
        min_num=1,
        max_num=MAX_LINES,
        absolute_max=MAX_LINES,
        validate_max=True,
    )


ReadingLineFormSet = line_formset()
LINE_FIELDS = ["serial_number", "seal_number", "value", "reading_date", "confirmed"]


class ContactForm(forms.Form):
    idempotency_key = IdempotencyKeyField()
    contact_phone = forms.CharField(
        label=_("Mobile phone"), max_length=32, widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
    )
    contact_email = forms.EmailField(
        label=_("E-mail"), help_text=_("We send the application number and the invoice to this address.")
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["contact_phone"].help_text = phone_hint(region)

    def clean_contact_phone(self):
        return normalize_phone(self.cleaned_data["contact_phone"], self.region)
