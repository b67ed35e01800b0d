"""portal.form_rendering renders widgets exactly as Django's widget templates do (issue #12)."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from portal.form_rendering import FastWidgetRenderer
from portal.forms import DateInput


class EveryWidget(forms.Form):
    text = forms.CharField(max_length=40, help_text="Hint", widget=forms.TextInput(attrs={"placeholder": 'a "b" <c>'}))
    number = forms.DecimalField(required=False)
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    day = forms.DateField(widget=DateInput())
    photo = forms.FileField(required=False, widget=forms.FileInput(attrs={"accept": ".pdf,.jpg"}))
    confirmed = forms.BooleanField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(choices=[("", "—"), ("cold", "Cold & <hot>"), ("hot", "Hot")])
    grouped = forms.ChoiceField(choices=[("Water", [("c", "Cold"), ("h", "Hot")]), ("e", "Power")], required=False)
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": '<script>"x"</script>',
            "number": "1,5",
            "email": "bad",
            "day": "2026-13-01",
            "confirmed": "on",
            "secret": "s&e",
            "hidden": "h<",
            "notes": "line\n<b>",
            "kind": "hot",
            "grouped": "h",
            "many": ["a", "b"],
        },
    ],
)
def test_every_widget_renders_as_the_template_renderer_does(data):
    fast = EveryWidget(data, initial={"day": datetime.date(2026, 3, 1)}, renderer=FastWidgetRenderer())
    slow = EveryWidget(data, initial={"day": datetime.date(2026, 3, 1)}, renderer=DjangoTemplates())
    for name in EveryWidget.base_fields:
        assert str(fast[name]) == str(slow[name]), name
    assert fast.as_div() == slow.as_div()
