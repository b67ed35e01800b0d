# One English date style on every page, e-mail and PDF: day, month, year ("1 December 2026",
# "01.12.2026"), as the portal's countries write dates; Django's default mixes "Dec. 1, 2026"
# and "12/01/2026" with the templates' "d.m.Y".
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
