"""``{% load l10n_extras %}``: the portal.l10n formats as filters: ``{{ invoice.total|money }}``,
``{{ reading.value|number }}``, ``{{ period|month_in_sentence }}``."""

from django import template

from portal import l10n

register = template.Library()
register.filter("money", l10n.money)
register.filter("number", l10n.number)
register.filter("month_in_sentence", l10n.month_in_sentence)
