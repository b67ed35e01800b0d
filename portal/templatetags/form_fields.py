"""``{% form_field field %}``: the markup of templates/includes/field.html, written in Python.

Issue #12: the W1 readings form includes field.html 21 times a request (6 fields a meter line,
3 lines counting the hidden "add another meter" template, and the contact fields); each include
is a template render with its conditions and translations, about half the page's remaining CPU.
The tag writes the same markup (tests/portal/test_form_fields.py renders both and compares), so
labels, hints, error messages and their ids for aria-describedby stay exactly as they are.
field.html stays the reference and the include for the pages that are not hot.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def form_field(field):
    checkbox = getattr(field.field.widget, "input_type", None) == "checkbox"
    errors = field.errors
    classes = "field" + (" field-error" if errors else "") + (" field-checkbox" if checkbox else "")
    if checkbox:
        label = format_html('\n    {}\n    <label for="{}">{}</label>\n  ', field, field.auto_id, field.label)
    else:
        optional = (
            "" if field.field.required else format_html(' <span class="optional">({})</span>', gettext("optional"))
        )
        label = format_html('\n    <label for="{}">{}{}</label>\n  ', field.auto_id, field.label, optional)
    hint = (
        format_html('<div class="hint" id="{}_helptext">{}</div>', field.auto_id, field.help_text)
        if field.help_text
        else ""
    )
    error_lines = format_html_join(
        "",
        '<p class="error-message" id="{}_error"><span class="visually-hidden">{}:</span> {}</p>',
        ((field.auto_id, gettext("Error"), error) for error in errors),
    )
    widget = "" if checkbox else field
    return format_html('<div class="{}">\n  {}\n  {}\n  {}\n  {}\n</div>', classes, label, hint, error_lines, widget)
