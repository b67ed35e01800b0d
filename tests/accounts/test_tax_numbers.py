"""Tax numbers are checked by the rule of the tenant's country (issue #9, item 10): Russia's INN has
10 or 12 digits with its check digits, Azerbaijan's VÖEN 10 digits, Uzbekistan's STIR 9 digits."""

import pytest
from django.core.exceptions import ValidationError

from accounts.validators import clean_tax_number


@pytest.mark.parametrize(
    "country, value",
    [
        ("RU", "7707083893"),  # Sberbank: a company's INN, 10 digits
        ("RU", "500100732259"),  # a sole proprietor's INN, 12 digits
        ("RU", "7707 083 893"),
        ("AZ", "1400057421"),
        ("UZ", "201234567"),
        (None, "201234567"),
    ],
)
def test_a_valid_tax_number_is_accepted_without_spaces(country, value):
    assert clean_tax_number(value, country) == value.replace(" ", "")


@pytest.mark.parametrize(
    "country, value, message",
    [
        ("RU", "7707083894", "check digits do not match"),
        ("RU", "500100732258", "check digits do not match"),
        ("RU", "77070838931", "10 digits (a company) or 12 digits (a sole proprietor)"),
        ("RU", "201234567", "10 digits (a company) or 12 digits (a sole proprietor)"),
        ("AZ", "201234567", "A VÖEN has 10 digits."),
        ("AZ", "140005742A", "A VÖEN has 10 digits."),
        ("UZ", "1400057421", "A STIR (INN) has 9 digits."),
    ],
)
def test_a_wrong_tax_number_names_the_countrys_rule(country, value, message):
    with pytest.raises(ValidationError) as error:
        clean_tax_number(value, country)
    assert message in " ".join(error.value.messages)


@pytest.mark.django_db
def test_the_contract_link_form_checks_the_inn_of_a_russian_tenant():
    from accounts.models import Organization
    from cabinet.forms.contracts import ContractLinkForm
    from tests.accounts.factories import OrganizationFactory

    OrganizationFactory()
    organizations = Organization.objects.all()
    form = ContractLinkForm(
        {"tax_number": "1833001122", "contract_number": "1"}, organizations=organizations, country_code="RU"
    )
    assert not form.is_valid()
    assert "check digits do not match" in form.errors["tax_number"][0]
    assert "10 digits for a company, 12 for a sole proprietor" in form.fields["tax_number"].help_text


@pytest.mark.django_db
def test_registering_an_organization_checks_the_stir_of_an_uzbek_tenant():
    from accounts.forms import OrganizationForm

    form = OrganizationForm({"tax_number": "1400057421", "name": "Bunyodkor LLC"}, country_code="UZ")
    assert not form.is_valid()
    assert form.errors["tax_number"] == ["A STIR (INN) has 9 digits."]
