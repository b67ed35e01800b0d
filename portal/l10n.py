"""Numbers, money and months as the reader's language writes them: the decimal separator of the
locale, money grouped in thousands, a month in lower case inside a sentence where the language
writes it so ("за декабрь 2026 г.", "dekabr 2026")."""

from decimal import Decimal

from django.utils import formats, translation

# Languages whose month names are common nouns: lower case inside a sentence.
LOWER_CASE_MONTHS = {"ru", "az", "uz"}


def number(value, decimal_places=None):
    """``value`` with the locale's decimal separator; trailing zeros dropped unless
    ``decimal_places`` is given. Not grouped: a meter reading is read digit by digit."""
    if value is None:
        return ""
    if decimal_places is None and isinstance(value, Decimal):
        value = value.normalize()
        decimal_places = max(-value.as_tuple().exponent, 0)
    return formats.number_format(value, decimal_places, use_l10n=True)


def money(value):
    """An amount with 2 decimals, the locale's separator and thousands grouped: "1 234 567,80"."""
    if value is None or value == "":
        return ""
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True)


def month_in_sentence(day):
    """The month and year of ``day`` for use inside a sentence: "декабрь 2026 г." in Russian."""
    text = formats.date_format(day, "YEAR_MONTH_FORMAT")
    if (translation.get_language() or "").split("-")[0] in LOWER_CASE_MONTHS:
        text = text[:1].lower() + text[1:]
    return text
