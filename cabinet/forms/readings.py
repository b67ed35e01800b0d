"""Forms of the cabinet's readings pages (W5, W4 "meter readings"): field parsing only; the rules
of acceptance live in meters.services.period_readings."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cabinet.imports import read_table, reading_value
from portal.dates import add_months
from portal.forms import DateInput, QuantityField

RECENT_PERIODS = 12


def period_choices(default):
    """The default period and the twelve before it, newest first, as ("YYYY-MM", "Month YYYY")."""
    periods = [add_months(default, -offset) for offset in range(RECENT_PERIODS + 1)]
    return [(f"{period:%Y-%m}", date_format(period, "YEAR_MONTH_FORMAT")) for period in periods]


def parse_period(text, default):
    """The period chosen in the URL (?period=YYYY-MM) if it is one of the offered ones, else ``default``."""
    offered = {value for value, _label in period_choices(default)}
    if text in offered:
        year, month = text.split("-")
        return default.replace(year=int(year), month=int(month), day=1)
    return default


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Reporting period"))

    def __init__(self, *args, default, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(default)


class ReadingRowForm(forms.Form):
    """One meter's row; the prefix names the meter."""

    value = forms.CharField(
        label=_("Current reading, m³"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 9, "autocomplete": "off"}),
    )
    reading_date = forms.DateField(label=_("Date"), required=False, widget=DateInput())

    def clean_value(self):
        value = reading_value(self.cleaned_data["value"])  # the same rule as an uploaded file's cells
        if value is not None and value < 0:
            raise forms.ValidationError(_("A reading cannot be negative."), code="negative")
        return value

    def clean(self):
        cleaned = super().clean()
        # A reading needs its date; one the user did not give is never made up (issue #9, item 1).
        if (
            cleaned.get("value") is not None
            and cleaned.get("reading_date") is None
            and "reading_date" not in self.errors
        ):
            self.add_error("reading_date", _("Enter the date of the reading."))
        return cleaned


class UploadForm(forms.Form):
    period = forms.ChoiceField(label=_("Reporting period"))
    file = forms.FileField(
        label=_("File with the readings"),
        help_text=_(
            "CSV (as Excel saves it: UTF-8, Windows-1251 or Unicode text) or XLSX, up to 2 MB, in the columns of the "
            "template."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, default, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = period_choices(default)
        self.fields["period"].initial = f"{default:%Y-%m}"

    def clean_file(self):
        # The whole parse happens here, so the view gets either a table or the reason at the field.
        self.table = read_table(self.cleaned_data["file"])
        return self.cleaned_data["file"]


class HotWaterRowForm(forms.Form):
    volume = QuantityField(
        label=_("Volume, m³"),
        required=False,
        max_digits=12,
        decimal_places=3,
        localize=True,
        negative_message=_("A volume cannot be negative."),
    )


class ArchiveFilterForm(forms.Form):
    service_point = forms.ModelChoiceField(
        label=_("Connection point"), queryset=None, required=False, empty_label=_("All connection points")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, service_points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_point"].queryset = service_points

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            self.add_error("date_to", _("The end of the range cannot be before its start."))
        return cleaned
