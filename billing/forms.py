from django import forms
from django.utils.translation import gettext_lazy as _


class AddAccountForm(forms.Form):
    code = forms.CharField(
        label=_("Subscriber code"),
        max_length=40,
        help_text=_("The code printed on your invoice or bill."),
        error_messages={"required": _("Enter the subscriber code.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    access_code = forms.CharField(
        label=_("Access code"),
        max_length=20,
        help_text=_("Ten letters and digits printed on the account's invoices, e.g. 34679-ACDEF."),
        error_messages={"required": _("Enter the access code.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
