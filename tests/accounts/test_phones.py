import pytest
from django.core.exceptions import ValidationError

from accounts.forms import RegistrationForm
from accounts.phones import normalize_phone
from cabinet.forms.requests import EmployeeForm
from readings.forms import ContactForm


@pytest.mark.parametrize(
    ("typed", "region", "e164"),
    [
        ("050 123 45 67", "AZ", "+994501234567"),
        ("8 912 123-45-67", "RU", "+79121234567"),
        ("90 123 45 67", "UZ", "+998901234567"),
        ("+994 50 123 45 67", "RU", "+994501234567"),  # a country code wins over the tenant's country
    ],
)
def test_national_formats_are_read_as_numbers_of_the_tenants_country(typed, region, e164):
    assert normalize_phone(typed, region) == e164


def test_an_invalid_number_is_refused_with_an_example_of_the_tenants_country():
    with pytest.raises(ValidationError) as refused:
        normalize_phone("8 912", "RU")
    assert "8 912 123-45-67" in refused.value.messages[0]
    assert "+7 912 123-45-67" in refused.value.messages[0]


def test_the_w1_contact_form_normalises_a_national_number_and_shows_the_local_example():
    form = ContactForm({"contact_phone": "050 123 45 67", "contact_email": "a@example.com"}, region="AZ")
    form.is_valid()
    assert form.cleaned_data["contact_phone"] == "+994501234567"
    assert "050 123 45 67" in str(form.fields["contact_phone"].help_text)


def test_the_registration_hint_shows_the_tenants_national_format():
    assert "90 123 45 67" in str(RegistrationForm(region="UZ").fields["phone"].help_text)


def test_the_cabinet_employee_phone_is_normalised_with_the_tenants_country():
    form = EmployeeForm(
        {"full_name": "Ivan Petrov", "position": "Engineer", "personal_number": "12", "phone": "8 912 123-45-67"},
        region="RU",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "+79121234567"
