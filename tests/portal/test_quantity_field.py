from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from cabinet.forms.readings import HotWaterRowForm
from cabinet.imports import reading_value
from portal.forms import QuantityField


class VolumeForm(forms.Form):
    value = QuantityField(max_digits=12, decimal_places=3, negative_message="negative!")


def error_of(value):
    form = VolumeForm({"value": value})
    assert not form.is_valid()
    return form.errors["value"][0]


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("1,2,3", "Not a number: “1,2,3” has more than one decimal separator."),
        ("12.3.4", "Not a number: “12.3.4” has more than one decimal separator."),
        ("12a", "Not a number: “12a” contains letters."),
        ("1e5", "Not a number: “1e5” contains letters."),
        ("12/3", "Not a number: “12/3”."),
    ],
)
def test_an_unreadable_value_says_why(typed, reason):
    assert error_of(typed).startswith(reason)


def test_a_decimal_comma_and_spaces_are_read_in_every_language():
    form = VolumeForm({"value": "1 234,5"})
    assert form.is_valid()
    assert form.cleaned_data["value"] == Decimal("1234.5")


def test_a_negative_value_gets_the_fields_own_message():
    assert error_of("-3") == "negative!"


def test_the_negative_message_is_in_the_users_language():
    with translation.override("ru"):
        form = HotWaterRowForm({"volume": "-1"})
        assert not form.is_valid()
        message = form.errors["volume"][0]
    assert "отрицательн" in message


def test_the_field_is_a_text_input_so_a_decimal_comma_can_be_typed():
    html = str(VolumeForm()["value"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html


@pytest.mark.parametrize(("typed", "reason"), [("1,2,3", "more than one decimal separator"), ("x1", "letters")])
def test_a_cabinet_reading_says_why_it_is_unreadable(typed, reason):
    with pytest.raises(ValidationError) as refused:
        reading_value(typed)
    assert reason in refused.value.messages[0] and typed in refused.value.messages[0]
