"""A chunk of the billing run in three statements on PostgreSQL (#12, goal 2).

1. The chunk's priced lines into a temporary table: per meter of a billable account, the latest
   accepted reading of the month minus the last one before it (LATERAL index probes), the
   tariff in force on that reading's date for each billed service (resolved once per distinct
   service, category, branch and date), split over the tariff's blocks, VAT and the description
   in the recipient's language.
2. One block of invoice numbers reserved for the chunk (billing.numbering).
3. The invoices inserted from the lines' sums and the lines from the table, in one
   INSERT … SELECT with a data-modifying CTE, the invoices' ids coming back through RETURNING.

Every rule mirrors billing/invoicing.py (``form_period_invoice``, ``priced_lines``) and
billing/services.py (``tariff_in_force``, ``charge``, ``line_amounts``): the blocks' bounds and
the translated texts are prepared in Python from the same code, and a test compares this path's
invoices with the builder's line by line (tests/billing/test_billing_run_equality.py).
"""

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _

from accounts.models import OrganizationMembership, User
from billing.models import Invoice, InvoiceLine, Service, Tariff, TariffBlock
from billing.numbering import REFERENCE_ACCOUNT_DIGITS, period_due_date, reserve_invoice_sequences
from billing.services import SERVICES_BY_METER_KIND, ZERO
from meters.models import Contract, Meter, Reading, SubscriberAccount
from portal.dates import month_end

# Django date format characters PostgreSQL's to_char can write; "FM" drops the leading zero.
TO_CHAR = {"d": "DD", "j": "FMDD", "m": "MM", "n": "FMMM", "Y": "YYYY", "y": "YY"}
MARK = "\x1f{}\x1f"


def to_char_pattern(django_format):
    """The to_char pattern of a Django date format, or None when it uses letters to_char cannot
    write the same way (month names: the portable path is used then)."""
    pattern = ""
    for char in django_format:
        if char in TO_CHAR:
            pattern += TO_CHAR[char]
        elif char.isalpha() or char in '"\\':
            return None
        else:
            pattern += f'"{char}"'
    return pattern


def languages():
    return [code for code, _name in settings.LANGUAGES]


def supported():
    return all(_texts(language, None) is not None for language in languages())


def _texts(language, period_start):
    """The translated pieces of a line's description in ``language``: (main template with
    markers, block template with a marker, service labels, to_char pattern of the end date)."""
    with translation.override(language):
        pattern = to_char_pattern(get_format("SHORT_DATE_FORMAT"))
        if pattern is None:
            return None
        start = date_format(period_start, "SHORT_DATE_FORMAT") if period_start else ""
        main = _("%(service)s, meter №%(serial)s, %(start)s – %(end)s") % {
            "service": MARK.format("service"),
            "serial": MARK.format("serial"),
            "start": start,
            "end": MARK.format("end"),
        }
        block = _("block %(number)s") % {"number": MARK.format("number")}
        labels = {service.value: str(service.label) for service in Service}
    return main, block, labels, pattern


def _template_sql(template, fields, params):
    """SQL concatenating the literal parts of ``template`` (as parameters) and the SQL of each
    marker in ``fields``."""
    parts = []
    for index, piece in enumerate(template.split("\x1f")):
        if index % 2:
            parts.append(fields[piece])
        elif piece:
            parts.append("%s")
            params.append(piece)
    return "(" + " || ".join(parts or ["''"]) + ")"


def description_sql(period_start, params):
    """The CASE over the recipient's language building each line's description."""
    cases = []
    default = None
    for language in languages():
        main, block, labels, pattern = _texts(language, period_start)
        case_params = []
        label_sql = "CASE l.service " + " ".join("WHEN %s THEN %s" for _label in labels) + " END"
        for service, label in labels.items():
            case_params += [service, label]
        main_params = []
        fields = {
            "service": "(" + label_sql + ")",
            "serial": "l.serial_number",
            "end": "to_char(l.end_date, %s)",
        }
        # The placeholders are filled in the order they appear, so build the parameters in order.
        sql_parts = []
        for index, piece in enumerate(main.split("\x1f")):
            if index % 2:
                sql_parts.append(fields[piece])
                if piece == "service":
                    main_params += case_params
                elif piece == "end":
                    main_params.append(pattern)
            elif piece:
                sql_parts.append("%s")
                main_params.append(piece)
        block_params = []
        block_sql = _template_sql(block, {"number": "l.part_number::text"}, block_params)
        expression = (
            "LEFT(" + " || ".join(sql_parts) + " || CASE WHEN l.parts > 1 THEN %s || " + block_sql + " ELSE '' END, 300)"
        )
        expression_params = main_params + [" · "] + block_params
        cases.append((language, expression, expression_params))
        if language == settings.LANGUAGE_CODE:
            default = (expression, expression_params)
    sql = "CASE l.language"
    for language, expression, expression_params in cases:
        sql += " WHEN %s THEN " + expression
        params += [language] + expression_params
    sql += " ELSE " + default[0] + " END"
    params += default[1]
    return sql


def _block_intervals(tenant):
    """(tariff id, part order, lower, upper, price) of every tenant tariff's blocks as
    ``billing.services.charge`` splits a consumption, and (tariff id, price of a line without
    parts) — consumption 0 or a tariff without blocks."""
    intervals, first_prices = [], []
    blocks_by_tariff = {}
    for block in TariffBlock.objects.filter(tariff__tenant=tenant).order_by("tariff_id", "pk"):
        blocks_by_tariff.setdefault(block.tariff_id, []).append(block)
    for tariff_id in Tariff.objects.for_tenant(tenant).values_list("pk", flat=True):
        blocks = sorted(blocks_by_tariff.get(tariff_id, []), key=lambda b: (b.up_to is None, b.up_to or ZERO))
        first_prices.append((tariff_id, blocks[0].price if blocks else ZERO))
        lower, order = ZERO, 0
        for block in blocks:
            if block.up_to is None:
                intervals.append((tariff_id, order, lower, None, block.price))
                break
            if block.up_to > lower:
                intervals.append((tariff_id, order, lower, block.up_to, block.price))
                order += 1
            lower = block.up_to
        else:
            if blocks:
                # Beyond the last bounded block: priced at that block (charge()'s data-gap rule).
                intervals.append((tariff_id, order, lower, None, blocks[-1].price))
    return intervals, first_prices


def _values(rows, casts, params):
    if not rows:
        return "SELECT " + ", ".join(f"NULL::{cast}" for cast in casts) + " WHERE false"
    row_sql = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    for row in rows:
        params.extend(row)
    return "VALUES " + ", ".join([row_sql] * len(rows))


def _lines_sql(chunk, params):
    run = chunk.run
    tenant = run.tenant
    period_start, period_end = run.period, month_end(run.period)
    t = {
        "account": SubscriberAccount._meta.db_table,
        "contract": Contract._meta.db_table,
        "membership": OrganizationMembership._meta.db_table,
        "user": User._meta.db_table,
        "invoice": Invoice._meta.db_table,
        "meter": Meter._meta.db_table,
        "reading": Reading._meta.db_table,
        "tariff": Tariff._meta.db_table,
        "tariff_branch": Tariff.branches.through._meta.db_table,
    }
    services = [
        (kind, service, order)
        for kind, kind_services in SERVICES_BY_METER_KIND.items()
        for order, service in enumerate(kind_services)
    ]
    intervals, first_prices = _block_intervals(tenant)
    upper_bound = "" if chunk.end_account_id is None else "AND a.id < %(end)s"
    named = {
        "tenant": tenant.pk,
        "start": period_start,
        "end_day": period_end,
        "first": chunk.first_account_id,
        "end": chunk.end_account_id,
        "language": tenant.default_language,
        "accepted": Reading.Status.ACCEPTED,
        "cancelled": Invoice.Status.CANCELLED,
        "owner": "owner",
    }
    # Named parameters for the fixed part; the VALUES lists and texts are appended positionally
    # below, so the statement is assembled with psycopg's named style throughout.
    positional = []
    services_sql = _values(services, ["text", "text", "int"], positional)
    intervals_sql = _values(intervals, ["bigint", "int", "numeric", "numeric", "numeric"], positional)
    first_sql = _values(first_prices, ["bigint", "numeric"], positional)
    description_params = []
    description = description_sql(period_start, description_params)
    positional += description_params
    for index, value in enumerate(positional):
        named[f"p{index}"] = value
    counter = iter(range(len(positional)))

    def numbered(sql):
        # Each positional %s becomes %(pN)s, in order.
        out, rest = [], sql.split("%s")
        for piece in rest[:-1]:
            out.append(piece + f"%(p{next(counter)})s")
        out.append(rest[-1])
        return "".join(out)

    services_sql = numbered(services_sql)
    intervals_sql = numbered(intervals_sql)
    first_sql = numbered(first_sql)
    description = numbered(description)
    params.update(named)
    return f"""
    WITH accounts AS (
        SELECT a.id, a.category, a.branch_id,
               COALESCE((
                   SELECT u.preferred_language FROM {t["contract"]} c
                   JOIN {t["membership"]} ms ON ms.organization_id = c.organization_id
                   JOIN {t["user"]} u ON u.id = ms.user_id
                   WHERE c.account_id = a.id AND u.preferred_language <> ''
                   ORDER BY (ms.role = %(owner)s) DESC, ms.joined_at, ms.id LIMIT 1
               ), %(language)s) AS language
        FROM {t["account"]} a
        WHERE a.tenant_id = %(tenant)s AND a.is_active AND a.id >= %(first)s {upper_bound}
          AND NOT EXISTS (
              SELECT 1 FROM {t["invoice"]} i
              WHERE i.account_id = a.id AND i.status <> %(cancelled)s
                AND i.period_start <= %(end_day)s AND i.period_end >= %(start)s)
    ),
    meters AS (
        SELECT m.id AS meter_id, m.kind, m.serial_number, acc.id AS account_id, acc.category, acc.branch_id,
               acc.language, e.value AS end_value, e.reading_date AS end_date,
               COALESCE(b.value, m.initial_reading) AS start_value,
               CASE WHEN b.value IS NULL THEN m.installed_on ELSE b.reading_date END AS start_date,
               GREATEST(e.value - COALESCE(b.value, m.initial_reading), 0) AS consumption
        FROM accounts acc
        JOIN {t["meter"]} m ON m.account_id = acc.id AND m.installed_on <= %(end_day)s
        CROSS JOIN LATERAL (
            SELECT r.value, r.reading_date FROM {t["reading"]} r
            WHERE r.meter_id = m.id AND r.status = %(accepted)s
              AND r.reading_date >= %(start)s AND r.reading_date <= %(end_day)s
            ORDER BY r.reading_date DESC, r.id DESC LIMIT 1) e
        LEFT JOIN LATERAL (
            SELECT r.value, r.reading_date FROM {t["reading"]} r
            WHERE r.meter_id = m.id AND r.status = %(accepted)s AND r.reading_date < %(start)s
            ORDER BY r.reading_date DESC, r.id DESC LIMIT 1) b ON true
    ),
    services (kind, service, service_order) AS ({services_sql}),
    metered AS (
        SELECT meters.*, s.service, s.service_order FROM meters JOIN services s ON s.kind = meters.kind
    ),
    combos AS (SELECT DISTINCT service, category, branch_id, end_date FROM metered),
    tariff_of AS (
        SELECT c.*, (
            SELECT t.id FROM {t["tariff"]} t
            WHERE t.tenant_id = %(tenant)s AND t.service = c.service AND t.category = c.category
              AND t.valid_from <= c.end_date AND (t.valid_to IS NULL OR t.valid_to >= c.end_date)
              AND (EXISTS (SELECT 1 FROM {t["tariff_branch"]} tb WHERE tb.tariff_id = t.id AND tb.branch_id = c.branch_id)
                   OR NOT EXISTS (SELECT 1 FROM {t["tariff_branch"]} tb WHERE tb.tariff_id = t.id))
            ORDER BY EXISTS (SELECT 1 FROM {t["tariff_branch"]} tb WHERE tb.tariff_id = t.id AND tb.branch_id = c.branch_id) DESC,
                     t.valid_from DESC, t.id DESC
            LIMIT 1) AS tariff_id
        FROM combos c
    ),
    intervals (tariff_id, part_order, lower_bound, upper_bound, price) AS ({intervals_sql}),
    first_prices (tariff_id, price) AS ({first_sql}),
    tariffed AS (
        SELECT metered.*, tt.tariff_id, t.unit, t.vat_rate, t.prices_include_vat
        FROM metered
        JOIN tariff_of tt ON tt.service = metered.service AND tt.category = metered.category
             AND tt.branch_id = metered.branch_id AND tt.end_date = metered.end_date
        JOIN {t["tariff"]} t ON t.id = tt.tariff_id
    ),
    parts AS (
        SELECT tariffed.*, i.part_order,
               LEAST(tariffed.consumption, COALESCE(i.upper_bound, tariffed.consumption)) - i.lower_bound AS quantity,
               i.price AS unit_price
        FROM tariffed JOIN intervals i ON i.tariff_id = tariffed.tariff_id AND tariffed.consumption > i.lower_bound
        UNION ALL
        SELECT tariffed.*, 0, tariffed.consumption, f.price
        FROM tariffed JOIN first_prices f ON f.tariff_id = tariffed.tariff_id
        WHERE NOT EXISTS (
            SELECT 1 FROM intervals i WHERE i.tariff_id = tariffed.tariff_id AND tariffed.consumption > i.lower_bound)
    ),
    numbered AS (
        SELECT parts.*,
               ROW_NUMBER() OVER (PARTITION BY meter_id, service ORDER BY part_order) AS part_number,
               COUNT(*) OVER (PARTITION BY meter_id, service) AS parts,
               ROUND(quantity * unit_price, 2) AS priced
        FROM parts
    ),
    amounts AS (
        SELECT numbered.*,
               CASE WHEN prices_include_vat THEN ROUND(priced / (1 + vat_rate / 100), 2) ELSE priced END AS net
        FROM numbered
    )
    SELECT l.account_id, l.language, l.meter_id, l.service,
           {description} AS description,
           l.quantity, l.unit, l.unit_price, l.net AS net_amount,
           CASE WHEN l.prices_include_vat THEN l.priced - l.net ELSE ROUND(l.priced * l.vat_rate / 100, 2) END
               AS vat_amount,
           CASE WHEN l.prices_include_vat THEN l.priced ELSE l.priced + ROUND(l.priced * l.vat_rate / 100, 2) END
               AS amount,
           l.vat_rate, l.prices_include_vat, l.start_value AS previous_value, l.start_date AS previous_date,
           l.end_value AS current_value, l.end_date AS "current_date",
           ROW_NUMBER() OVER (PARTITION BY l.account_id ORDER BY l.kind, l.serial_number, l.service_order, l.part_number)
               AS line_order
    FROM amounts l
    """


def write_chunk(chunk):
    run = chunk.run
    tenant = run.tenant
    period_start, period_end = run.period, month_end(run.period)
    params = {}
    lines_sql = _lines_sql(chunk, params)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE billing_run_lines ON COMMIT DROP AS " + lines_sql, params)
        cursor.execute("SELECT COUNT(DISTINCT account_id), COUNT(*) FROM billing_run_lines")
        invoice_count, line_count = cursor.fetchone()
        if not invoice_count:
            cursor.execute("DROP TABLE billing_run_lines")
            return 0, 0
        year = run.issued_on.year
        first = reserve_invoice_sequences(tenant, year, invoice_count)
        invoice_table, line_table = Invoice._meta.db_table, InvoiceLine._meta.db_table
        account_table = SubscriberAccount._meta.db_table
        cursor.execute(
            f"""
            WITH sums AS (
                SELECT account_id, language, SUM(net_amount) AS net_total, SUM(vat_amount) AS vat_total,
                       SUM(amount) AS total,
                       %(first)s + ROW_NUMBER() OVER (ORDER BY account_id) - 1 AS sequence
                FROM billing_run_lines GROUP BY account_id, language
            ),
            numbered AS (
                SELECT sums.*, CASE WHEN sequence < 1000000 THEN lpad(sequence::text, 6, '0') ELSE sequence::text END
                           AS sequence_text,
                       right(regexp_replace(a.code, '[^0-9]', '', 'g'), %(digits)s) AS code_digits
                FROM sums JOIN {account_table} a ON a.id = sums.account_id
            ),
            inserted AS (
                INSERT INTO {invoice_table} (
                    tenant_id, number, account_id, application_id, period_start, period_end, issued_on, due_on,
                    currency, net_total, vat_total, total, payment_reference, status, language, pdf,
                    billing_run_id, created_at)
                SELECT %(tenant)s, %(prefix)s || '-INV-' || %(year)s || '-' || sequence_text, account_id, NULL,
                       %(start)s, %(end)s, %(issued)s, %(due)s, %(currency)s, net_total, vat_total, total,
                       code_digits || %(yy)s || sequence_text
                           || billing_luhn_digit(code_digits || %(yy)s || sequence_text),
                       %(status)s, language, '', %(run)s, now()
                FROM numbered ORDER BY account_id
                RETURNING id, account_id
            )
            INSERT INTO {line_table} (
                invoice_id, service, meter_id, description, quantity, unit, unit_price, net_amount, vat_amount,
                amount, vat_rate, prices_include_vat, previous_value, previous_date, current_value, "current_date")
            SELECT inserted.id, l.service, l.meter_id, l.description, l.quantity, l.unit, l.unit_price,
                   l.net_amount, l.vat_amount, l.amount, l.vat_rate, l.prices_include_vat, l.previous_value,
                   l.previous_date, l.current_value, l."current_date"
            FROM billing_run_lines l JOIN inserted ON inserted.account_id = l.account_id
            ORDER BY l.account_id, l.line_order
            """,
            {
                "first": first,
                "digits": REFERENCE_ACCOUNT_DIGITS,
                "tenant": tenant.pk,
                "prefix": tenant.application_prefix,
                "year": str(year),
                "yy": f"{year % 100:02d}",
                "start": period_start,
                "end": period_end,
                "issued": run.issued_on,
                "due": period_due_date(tenant, period_end, run.issued_on),
                "currency": tenant.currency,
                "status": Invoice.Status.ISSUED,
                "run": run.pk,
            },
        )
        cursor.execute("DROP TABLE billing_run_lines")
    return invoice_count, line_count
