"""Widgets rendered in Python, byte for byte as Django's own widget templates render them.

Issue #12: on the W1 readings form each widget went through the template engine (its template,
``input.html`` and ``attrs.html``: three template renders per input), about a third of the page's
CPU. ``FastWidgetRenderer`` writes the markup of Django's built-in input, textarea and select
templates directly and hands every other template (form and formset layouts, any widget template
a project overrides with another name) to the usual template renderer. The output is identical
(tests/portal/test_form_rendering.py renders every widget both ways), so labels, ids, ``aria-*``
attributes and error summaries are unchanged.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join

WIDGETS = "django/forms/widgets/"
INPUTS = frozenset(
    WIDGETS + name
    for name in (
        "input.html",
        "text.html",
        "number.html",
        "email.html",
        "url.html",
        "color.html",
        "search.html",
        "tel.html",
        "password.html",
        "hidden.html",
        "file.html",
        "date.html",
        "datetime.html",
        "time.html",
        "checkbox.html",
    )
)
TEXTAREA = WIDGETS + "textarea.html"
SELECT = WIDGETS + "select.html"
OPTION = WIDGETS + "select_option.html"


def _attrs(attrs):
    # django/forms/widgets/attrs.html
    return format_html_join(
        "",
        "{}",
        ((format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
         for name, value in attrs.items() if value is not False),
    )  # fmt: skip


def _input(widget):
    value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value, _attrs(widget["attrs"])
    )


def _textarea(widget):
    value = widget["value"] or ""
    return format_html('<textarea name="{}"{}>\n{}</textarea>', widget["name"], _attrs(widget["attrs"]), value)


def _option(option):
    attrs = _attrs(option["attrs"])
    # The included option template ends with a newline.
    return format_html('\n  <option value="{}"{}>{}</option>\n', str(option["value"]), attrs, option["label"])


def _select(widget):
    groups = []
    for group_name, group_choices, _index in widget["optgroups"]:
        options = format_html_join("", "{}", ((_option(option),) for option in group_choices))
        groups.append(
            format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, options) if group_name else options
        )
    options = format_html_join("", "{}", ((group,) for group in groups))
    return format_html('<select name="{}"{}>{}\n</select>', widget["name"], _attrs(widget["attrs"]), options)


class FastWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if widget is not None:
            if template_name in INPUTS:
                return _input(widget)
            if template_name == TEXTAREA:
                return _textarea(widget)
            if template_name == SELECT and all(
                o["template_name"] == OPTION for _g, c, _i in widget["optgroups"] for o in c
            ):
                return _select(widget)
        return super().render(template_name, context, request)
