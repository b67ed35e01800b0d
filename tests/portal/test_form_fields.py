"""{% form_field %} writes exactly what templates/includes/field.html renders (issue #12)."""

import pytest
from django import forms
from django.template import engines

from portal.forms import DateInput


class Fields(forms.Form):
    name = forms.CharField(label="Name <b>", help_text="As in the passport & ID", max_length=40)
    phone = forms.CharField(label="Phone", required=False)
    day = forms.DateField(label="Date", widget=DateInput())
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label="Photo", required=False)
    confirmed = forms.BooleanField(label="I confirm", required=False, help_text="Tick it")
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")])


def render(source, field):
    return engines["django"].from_string(source).render({"field": field})


@pytest.mark.parametrize("data", [None, {"name": "", "phone": "x" * 5, "day": "31.02.2026", "kind": "z"}])
@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_tag_renders_what_the_include_renders(data, language):
    from django.utils import translation

    form = Fields(data)
    form.is_valid()
    with translation.override(language):
        for name in Fields.base_fields:
            included = render('{% include "includes/field.html" %}', form[name])
            tagged = render("{% load form_fields %}{% form_field field %}", form[name])
            assert tagged == included.rstrip("\n"), name
