"""Admin changelist parameters checked before Django's ChangeList uses them.

Django turns most wrong filters into "?e=1", but two reach the database or ``datetime`` as they
are and end in a 500: a date-hierarchy year such as ``?submitted_at__year=2147483648`` (an
OverflowError, as is year 9999, whose next year does not exist) and an action posted with
``_selected_action=1,5`` (a ValueError in the pk lookup). The changelist answers them with a
redirect to itself and a message instead.
"""

from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

DATE_PARTS = {"year": (1, 9998), "month": (1, 12), "day": (1, 31)}
MAX_INTEGER_PK = 2**63 - 1


def _date_hierarchy_ok(model_admin, params):
    field = model_admin.date_hierarchy
    if not field:
        return True
    for part, (low, high) in DATE_PARTS.items():
        value = params.get(f"{field}__{part}")
        if value is None:
            continue
        try:
            number = int(value)
        except ValueError:
            return False
        if not low <= number <= high:
            return False
    return True


def _selected_ok(model_admin, values):
    pk_field = model_admin.model._meta.pk
    for value in values:
        try:
            pk = pk_field.to_python(value)
        except ValidationError:
            return False
        if isinstance(pk, int) and not 0 < pk <= MAX_INTEGER_PK:
            return False
    return True


class ChangelistParamsMixin:
    """For a ModelAdmin: refuse date-hierarchy and selected-action values that are not ids or dates."""

    def changelist_view(self, request, extra_context=None):
        if not _date_hierarchy_ok(self, request.GET):
            messages.error(request, _("The date in the address is not valid; the whole list is shown."))
            return redirect(request.path)
        if request.method == "POST" and not _selected_ok(self, request.POST.getlist(ACTION_CHECKBOX_NAME)):
            messages.error(request, _("The selected rows are not valid. Select them again."))
            return redirect(request.get_full_path())
        return super().changelist_view(request, extra_context)
