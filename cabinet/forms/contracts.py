"""Forms of the legal-entity cabinet's contract pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from accounts.validators import clean_tax_number, tax_number_help


class ContractLinkForm(forms.Form):
    """The company's tax number and the contract number, for one of the user's organizations.

    With a single organization the choice is not asked; the page names the organization. The
    choices are the user's organizations only, so nobody links for a company he is not part of."""

    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), empty_label=None
    )
    tax_number = forms.CharField(
        label=_("Company's tax number"),
        max_length=20,
        help_text=_("The tax number (INN) written in the contract: 9 to 12 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    contract_number = forms.CharField(
        label=_("Contract number"),
        max_length=40,
        help_text=_("As printed on the contract, without the “№” sign."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, organizations, country_code=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code = country_code
        self.fields["tax_number"].help_text = tax_number_help(country_code)
        self.fields["organization"].queryset = organizations
        self.only_organization = organizations[0] if len(organizations) == 1 else None
        if self.only_organization is not None:
            del self.fields["organization"]

    def clean(self):
        cleaned_data = super().clean()
        if self.only_organization is not None:
            cleaned_data["organization"] = self.only_organization
        return cleaned_data

    def clean_tax_number(self):
        return clean_tax_number(self.cleaned_data["tax_number"], self.country_code)

    def clean_contract_number(self):
        value = self.cleaned_data["contract_number"].strip().lstrip("№").strip()
        if not value:
            raise forms.ValidationError(_("Enter the contract number."), code="required")
        return value
