"""A chunk of the billing run in three statements on PostgreSQL (#12, goal 2).

1. The chunk's priced lines into a temporary table: per meter of a billable account, the latest
   accepted reading of the month minus the last one before it (LATERAL index probes), the
   tariff in force on that reading's date for each billed service (resolved once per distinct
   service, category, branch and date), split over the tariff's blocks, VAT and the description
   in the recipient's language.
2. One block of invoice numbers reserved for the chunk, the numbers and payment references
   written by billing.numbering.
3. The invoices inserted from the lines' sums and the lines from the table, in one
   INSERT … SELECT with a data-modifying CTE, the invoices' ids coming back through RETURNING.

Every rule mirrors billing/invoicing.py (``form_period_invoice``, ``priced_lines``) and
billing/services.py (``tariff_in_force``, ``charge``, ``line_amounts``): the blocks' bounds and
the translated texts are prepared in Python from the same code, and a test compares this path's
invoices with the builder's line by line (tests/billing/test_billing_run_equality.py).
"""

import datetime

from django.conf import settings
from django.db import connection
from django.utils import translation
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _

from accounts.models import OrganizationMembership, User
from billing.models import Invoice, InvoiceLine, Service, Tariff, TariffBlock
from billing.numbering import invoice_number, payment_reference, period_due_date, reserve_invoice_sequences
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
    return description_rows(datetime.date(2000, 1, 1)) is not None


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


def description_rows(period_start):
    """(language, service, text before the first field, serial first?, text between the fields,
    text after them, to_char pattern, block text before and after its number) of every language
    and service: the description template with the service label and the period's first day
    filled in. None when a translation has another shape (then the portable path is used)."""
    rows = []
    for language in languages():
        texts = _texts(language, period_start)
        if texts is None:
            return None
        main, block, labels, pattern = texts
        block_pieces = block.split("\x1f")
        if len(block_pieces) != 3:
            return None
        for service, label in labels.items():
            pieces = main.replace(MARK.format("service"), label).split("\x1f")
            if len(pieces) != 5 or {pieces[1], pieces[3]} != {"serial", "end"}:
                return None
            rows.append(
                (
                    language,
                    service,
                    pieces[0],
                    pieces[1] == "serial",
                    pieces[2],
                    pieces[4],
                    pattern,
                    block_pieces[0],
                    block_pieces[2],
                )
            )
    return rows


DESCRIPTION_SQL = """LEFT(
    tx.before_first
    || CASE WHEN tx.serial_first
            THEN l.serial_number || tx.between_fields || to_char(l.end_date, tx.date_pattern)
            ELSE to_char(l.end_date, tx.date_pattern) || tx.between_fields || l.serial_number END
    || tx.after_fields
    || CASE WHEN l.parts > 1 THEN ' · ' || tx.block_before || l.part_number || tx.block_after ELSE '' END,
    300)"""


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


def _values(name, rows, casts, params):
    """A VALUES list of ``rows`` as named parameters ``name_row_column`` added to ``params``."""
    if not rows:
        return "SELECT " + ", ".join(f"NULL::{cast}" for cast in casts) + " WHERE false"
    rendered = []
    for row_index, row in enumerate(rows):
        cells = []
        for column, (value, cast) in enumerate(zip(row, casts, strict=True)):
            key = f"{name}_{row_index}_{column}"
            params[key] = value
            cells.append(f"%({key})s::{cast}")
        rendered.append("(" + ", ".join(cells) + ")")
    return "VALUES " + ", ".join(rendered)


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
        "line": InvoiceLine._meta.db_table,
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
    services_sql = _values("service", services, ["text", "text", "int"], named)
    intervals_sql = _values("interval", intervals, ["bigint", "int", "numeric", "numeric", "numeric"], named)
    first_sql = _values("first_price", first_prices, ["bigint", "numeric"], named)
    texts_sql = _values(
        "text",
        description_rows(period_start),
        ["text", "text", "text", "boolean", "text", "text", "text", "text", "text"],
        named,
    )
    params.update(named)
    # Only table names from the models' _meta are formatted in; every value is a parameter.
    return f"""
    WITH recipients AS (
        -- recipient_language(): the cabinet member's language, owners first, then the longest-standing.
        SELECT DISTINCT ON (c.account_id) c.account_id, u.preferred_language
        FROM {t["contract"]} c
        JOIN {t["membership"]} ms ON ms.organization_id = c.organization_id
        JOIN {t["user"]} u ON u.id = ms.user_id
        WHERE c.tenant_id = %(tenant)s AND c.account_id >= %(first)s {upper_bound.replace("a.id", "c.account_id")}
          AND u.preferred_language <> ''
        ORDER BY c.account_id, (ms.role = %(owner)s) DESC, ms.joined_at, ms.id
    ),
    accounts AS (
        SELECT a.id, a.category, a.branch_id, COALESCE(r.preferred_language, %(language)s) AS language
        FROM {t["account"]} a
        LEFT JOIN recipients r ON r.account_id = a.id
        WHERE a.tenant_id = %(tenant)s AND a.is_active AND a.id >= %(first)s {upper_bound}
          AND NOT EXISTS (
              SELECT 1 FROM {t["invoice"]} i
              -- The range again, so the planner reads only the chunk's invoices (an index range)
              -- instead of hashing the whole table, which grows to a million rows during the run.
              WHERE i.account_id = a.id AND i.account_id >= %(first)s {upper_bound.replace("a.id", "i.account_id")}
                AND i.status <> %(cancelled)s
                AND i.period_start <= %(end_day)s AND i.period_end >= %(start)s
                -- One-off charges (connection fee, verification fee, damages) bill no readings.
                AND EXISTS (SELECT 1 FROM {t["line"]} l WHERE l.invoice_id = i.id AND l.current_date IS NOT NULL))
    ),
    meters AS (
        SELECT m.id AS meter_id, m.kind, m.serial_number, acc.id AS account_id, acc.category, acc.branch_id,
               acc.language, e.value AS end_value, e.reading_date AS end_date,
               COALESCE(b.value, m.initial_reading) AS start_value,
               CASE WHEN b.value IS NULL THEN m.installed_on ELSE b.reading_date END AS start_date,
               GREATEST(e.value - COALESCE(b.value, m.initial_reading), 0) AS consumption
        FROM accounts acc
        -- The range again: an index range over the chunk's meters, not a scan of all of them.
        JOIN {t["meter"]} m ON m.account_id = acc.id AND m.installed_on <= %(end_day)s
             AND m.account_id >= %(first)s {upper_bound.replace("a.id", "m.account_id")}
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
    metered AS MATERIALIZED (
        SELECT meters.*, s.service, s.service_order FROM meters JOIN services s ON s.kind = meters.kind
    ),
    combos AS MATERIALIZED (SELECT DISTINCT service, category, branch_id, end_date FROM metered),
    tariff_of AS MATERIALIZED (
        SELECT c.*, (
            SELECT t.id FROM {t["tariff"]} t
            WHERE t.tenant_id = %(tenant)s AND t.service = c.service AND t.category = c.category
              AND t.valid_from <= c.end_date AND (t.valid_to IS NULL OR t.valid_to >= c.end_date)
              AND (EXISTS (SELECT 1 FROM {t["tariff_branch"]} tb
                           WHERE tb.tariff_id = t.id AND tb.branch_id = c.branch_id)
                   OR NOT EXISTS (SELECT 1 FROM {t["tariff_branch"]} tb WHERE tb.tariff_id = t.id))
            ORDER BY EXISTS (SELECT 1 FROM {t["tariff_branch"]} tb
                             WHERE tb.tariff_id = t.id AND tb.branch_id = c.branch_id) DESC,
                     t.valid_from DESC, t.id DESC
            LIMIT 1) AS tariff_id
        FROM combos c
    ),
    intervals (tariff_id, part_order, lower_bound, upper_bound, price) AS ({intervals_sql}),
    first_prices (tariff_id, price) AS ({first_sql}),
    texts (language, service, before_first, serial_first, between_fields, after_fields, date_pattern,
           block_before, block_after) AS ({texts_sql}),
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
           {DESCRIPTION_SQL} AS description,
           l.quantity, l.unit, l.unit_price, l.net AS net_amount,
           CASE WHEN l.prices_include_vat THEN l.priced - l.net ELSE ROUND(l.priced * l.vat_rate / 100, 2) END
               AS vat_amount,
           CASE WHEN l.prices_include_vat THEN l.priced ELSE l.priced + ROUND(l.priced * l.vat_rate / 100, 2) END
               AS amount,
           l.vat_rate, l.prices_include_vat, l.start_value AS previous_value, l.start_date AS previous_date,
           l.end_value AS current_value, l.end_date AS "current_date",
           ROW_NUMBER() OVER (
               PARTITION BY l.account_id ORDER BY l.kind, l.serial_number, l.service_order, l.part_number
           ) AS line_order
    FROM amounts l JOIN texts tx ON tx.language = l.language AND tx.service = l.service
    """  # noqa: S608


def write_chunk(chunk):
    run = chunk.run
    tenant = run.tenant
    period_start, period_end = run.period, month_end(run.period)
    params = {}
    lines_sql = _lines_sql(chunk, params)
    invoice_table, line_table = Invoice._meta.db_table, InvoiceLine._meta.db_table
    account_table = SubscriberAccount._meta.db_table
    with connection.cursor() as cursor:
        # The statements' estimated costs trip the JIT threshold, and compiling them costs more
        # (about half a second a statement, measured) than the chunk's whole execution saves.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("CREATE TEMPORARY TABLE billing_run_lines ON COMMIT DROP AS " + lines_sql, params)
        cursor.execute(
            f"SELECT l.account_id, a.code, l.lines FROM (SELECT account_id, COUNT(*) AS lines FROM billing_run_lines"  # noqa: S608
            f" GROUP BY account_id) AS l JOIN {account_table} a ON a.id = l.account_id ORDER BY l.account_id"
        )
        billed = cursor.fetchall()
        if not billed:
            cursor.execute("DROP TABLE billing_run_lines")
            return 0, 0
        year = run.issued_on.year
        first = reserve_invoice_sequences(tenant, year, len(billed))
        # Numbers and payment references by billing.numbering itself (a Luhn digit in SQL cost
        # 40 µs a row): the chunk's are a few milliseconds of Python, passed back as arrays.
        numbers = [invoice_number(tenant, year, first + index) for index in range(len(billed))]
        references = [
            payment_reference(code, year, first + index) for index, (_account, code, _lines) in enumerate(billed)
        ]
        cursor.execute(
            f"""
            WITH numbers AS (
                SELECT * FROM unnest(%(accounts)s::bigint[], %(numbers)s::text[], %(references)s::text[])
                    AS n (account_id, number, reference)
            ),
            sums AS (
                SELECT account_id, language, SUM(net_amount) AS net_total, SUM(vat_amount) AS vat_total,
                       SUM(amount) AS total
                FROM billing_run_lines GROUP BY account_id, language
            ),
            inserted AS (
                INSERT INTO {invoice_table} (
                    tenant_id, number, account_id, application_id, period_start, period_end, issued_on, due_on,
                    currency, net_total, vat_total, total, payment_reference, status, language, pdf,
                    billing_run_id, created_at)
                SELECT %(tenant)s, n.number, sums.account_id, NULL, %(start)s, %(end)s, %(issued)s, %(due)s,
                       %(currency)s, net_total, vat_total, total, n.reference, %(status)s, language, '', %(run)s,
                       now()
                FROM sums JOIN numbers n ON n.account_id = sums.account_id ORDER BY sums.account_id
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
            """,  # noqa: S608 (table names from _meta; values are parameters)
            {
                "accounts": [row[0] for row in billed],
                "numbers": numbers,
                "references": references,
                "tenant": tenant.pk,
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
    return len(billed), sum(row[2] for row in billed)
