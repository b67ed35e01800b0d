"""Cabinet pages of readings (W5 cold water, hot-water volumes, archive; W4 meter readings)."""

import csv
import datetime
import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from cabinet import imports
from cabinet.access import contract_page, render_contract_page
from cabinet.forms.readings import (
    ArchiveFilterForm,
    HotWaterRowForm,
    PeriodForm,
    ReadingRowForm,
    UploadForm,
    parse_period,
)
from cabinet.models import CabinetSettings, PeriodReading
from cabinet.selectors.archive import Cursor, archive_page, archive_readings
from cabinet.services.hot_water import hot_water_rows, save_hot_water_volumes
from cabinet.services.period_readings import (
    CORRECTION,
    UNCHANGED,
    Entry,
    draft_warnings,
    meter_rows,
    meter_rows_in_chunks,
)
from cabinet.services.saving_readings import save_period_drafts, submit_period_readings
from cabinet.windows import closed_message, default_period, submission_window
from meters.models import Meter, Reading
from meters.selectors import UNIT_BY_KIND
from portal.files import download_response
from portal.workdays import calendar_for

CSV_CHUNK = 2000


class Echo:
    """A file-like object whose write() hands the line back, for streaming CSV."""

    def write(self, value):
        return value


def period_url(contract, period, name="cabinet:readings"):
    return f"{reverse(name, kwargs={'contract_id': contract.pk})}?period={period:%Y-%m}"


def readings_title(cabinet_settings):
    return _("Cold-water readings") if cabinet_settings.cold_water_readings_only else _("Meter readings")


class ReportingPeriod:
    """The reporting period a readings page shows (?period=, else the one whose window is open or
    opens next) with what every such page needs: the contract, today, the tenant's calendar and
    the period's submission window."""

    def __init__(self, request, contract, *, hot_water=False):
        self.tenant = request.tenant
        self.contract = contract
        self.calendar = calendar_for(self.tenant)
        self.today = self.tenant.today()
        self.default = default_period(self.contract, self.today, hot_water=hot_water, calendar=self.calendar)
        chosen = request.POST.get("period") or request.GET.get("period")
        self.period = parse_period(chosen, self.default)
        self.window = submission_window(self.contract, self.period, hot_water=hot_water, calendar=self.calendar)
        self.period_form = PeriodForm(initial={"period": f"{self.period:%Y-%m}"}, default=self.default)


# -- cold-water readings --------------------------------------------------------------------------


@contract_page
def period_readings(request, contract):
    reporting = ReportingPeriod(request, contract)
    cabinet_settings = CabinetSettings.of(request.tenant)
    rows = meter_rows(tenant=reporting.tenant, contract=contract, period=reporting.period, today=reporting.today)
    data = request.POST if request.method == "POST" else None
    lines = []
    for row in rows:
        draft = row.period_reading
        initial = {"reading_date": reporting.today}
        if draft is not None:
            initial = {"value": f"{draft.value.normalize():f}", "reading_date": draft.reading_date}
        lines.append((row, ReadingRowForm(data, prefix=f"m{row.meter.pk}", initial=initial)))

    if request.method == "POST":
        open_lines = [(row, form) for row, form in lines if not _accepted(row)]
        if all(form.is_valid() for _row, form in open_lines):
            entries = [
                Entry(row.meter.pk, form.cleaned_data["value"], form.cleaned_data["reading_date"])
                for row, form in open_lines
                if form.cleaned_data["value"] is not None
            ]
            if "submit" in request.POST:
                if _submit_entries(request, reporting, entries):
                    return redirect(period_url(contract, reporting.period))
            else:
                saved = save_period_drafts(
                    tenant=reporting.tenant,
                    contract=contract,
                    period=reporting.period,
                    entries=entries,
                    user=request.user,
                    today=reporting.today,
                )
                messages.success(request, ngettext("%(n)s draft saved.", "%(n)s drafts saved.", saved) % {"n": saved})
                for warning in draft_warnings(tenant=reporting.tenant, entries=entries, today=reporting.today):
                    messages.warning(request, warning)
                return redirect(period_url(contract, reporting.period))
        else:
            messages.error(request, _("Some rows could not be read; see the rows marked in red."))

    return render_contract_page(
        request,
        contract,
        "cabinet/readings/period.html",
        {
            "title": readings_title(cabinet_settings),
            "reporting": reporting,
            "lines": lines,
            "window_open": reporting.window.contains(reporting.today),
            "water": cabinet_settings.water_readings_only,
        },
    )


def _accepted(row):
    return row.period_reading is not None and row.period_reading.status == PeriodReading.Status.ACCEPTED


def _report_outcomes(request, outcomes):
    accepted = sum(outcome.accepted and outcome.change not in (UNCHANGED, CORRECTION) for outcome in outcomes)
    corrected = sum(outcome.accepted and outcome.change == CORRECTION for outcome in outcomes)
    unchanged = sum(outcome.change == UNCHANGED for outcome in outcomes)
    refused = sum(not outcome.accepted for outcome in outcomes)
    if accepted:
        message = ngettext("%(n)s reading accepted.", "%(n)s readings accepted.", accepted)
        messages.success(request, message % {"n": accepted})
    if corrected:
        message = ngettext(
            "%(n)s accepted reading corrected: the new figure replaces it and the utility sees both.",
            "%(n)s accepted readings corrected: the new figures replace them and the utility sees both.",
            corrected,
        )
        messages.success(request, message % {"n": corrected})
    if unchanged:
        message = ngettext(
            "%(n)s reading unchanged: it was already accepted with this figure.",
            "%(n)s readings unchanged: they were already accepted with these figures.",
            unchanged,
        )
        messages.info(request, message % {"n": unchanged})
    if refused:
        message = ngettext(
            "%(n)s reading refused; see the reason in its row.",
            "%(n)s readings refused; see the reason in their rows.",
            refused,
        )
        messages.error(request, message % {"n": refused})


# -- upload ---------------------------------------------------------------------------------------


def upload_session_key(contract):
    return f"cabinet:readings_upload:{contract.pk}"


@contract_page
def upload(request, contract):
    """Two steps: the file is checked and a preview shows what each row will do (its rows wait in
    the session under a one-time token, not in a file); "Send" then submits the valid rows."""
    reporting = ReportingPeriod(request, contract)
    key = upload_session_key(contract)
    if request.method == "POST" and request.POST.get("action") == "send":
        pending = request.session.get(key)
        if (
            not pending
            or pending["token"] != request.POST.get("token")
            or pending["period"] != f"{reporting.period:%Y-%m}"
        ):
            messages.error(request, _("The checked file is no longer available; upload it again."))
            return redirect(period_url(contract, reporting.period, "cabinet:readings_upload"))
        del request.session[key]
        entries = [Entry(meter_id, imports.parse_value(value), _date(day)) for meter_id, value, day in pending["rows"]]
        return _submit_upload(request, reporting, entries)

    form = UploadForm(request.POST or None, request.FILES or None, default=reporting.default)
    form.fields["period"].initial = f"{reporting.period:%Y-%m}"
    preview = None
    if request.method == "POST" and form.is_valid():
        rows = meter_rows_in_chunks(
            tenant=reporting.tenant, contract=contract, period=reporting.period, today=reporting.today
        )
        checked = imports.check_rows(form.table, meter_rows=rows, today=reporting.today)
        if not reporting.window.contains(reporting.today):
            form.add_error(
                None, closed_message(contract, reporting.period, reporting.today, calendar=reporting.calendar)
            )
        elif not checked:
            form.add_error("file", _("The file has no readings: fill in the “Current reading” column."))
        else:
            valid = [row for row in checked if not row.error]
            to_send = [row for row in valid if row.change != UNCHANGED]
            token = secrets.token_urlsafe(16)
            # The unchanged rows go too, so that the result names them.
            request.session[key] = {
                "token": token,
                "period": f"{reporting.period:%Y-%m}",
                "rows": [[row.meter_id, str(row.value), row.reading_date.isoformat()] for row in valid],
            }
            shown = preview_rows(checked)
            preview = {
                "rows": shown,
                "not_shown": len(checked) - len(shown),
                "token": token,
                "to_send": len(to_send),
                "invalid": sum(bool(row.error) for row in checked),
                "unchanged": sum(not row.error and row.change == UNCHANGED for row in checked),
            }
    return render_contract_page(
        request,
        contract,
        "cabinet/readings/upload.html",
        {
            "reporting": reporting,
            "form": form,
            "preview": preview,
            "window_open": reporting.window.contains(reporting.today),
        },
    )


# Rows without remarks (new readings, unchanged ones) shown in the preview before a count of the
# rest: drawing 10,000 table rows was ~65 % of checking a 10,000-row file (issue #12, goal 4).
ROUTINE_ROWS_SHOWN = 50


def preview_rows(checked):
    """The rows the preview draws, in file order: every row that needs attention (an error, a
    correction of an accepted reading) and the first ROUTINE_ROWS_SHOWN of the others."""
    shown, routine = [], 0
    for row in checked:
        if row.error or row.change == CORRECTION:
            shown.append(row)
        elif routine < ROUTINE_ROWS_SHOWN:
            shown.append(row)
            routine += 1
    return shown


def _date(text):
    return datetime.date.fromisoformat(text)


def _submit_entries(request, reporting, entries):
    """Submit the rows and report each row's outcome; False (with the reason shown) when the
    submission as a whole is refused, e.g. outside the window."""
    try:
        outcomes = submit_period_readings(
            tenant=reporting.tenant,
            contract=reporting.contract,
            period=reporting.period,
            entries=entries,
            user=request.user,
            today=reporting.today,
            calendar=reporting.calendar,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    _report_outcomes(request, outcomes)
    return True


def _submit_upload(request, reporting, entries):
    if not _submit_entries(request, reporting, entries):
        return redirect("cabinet:readings_upload", contract_id=reporting.contract.pk)
    return redirect(period_url(reporting.contract, reporting.period))


@contract_page
@require_GET
def readings_template(request, contract, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    reporting = ReportingPeriod(request, contract)
    rows = meter_rows(tenant=reporting.tenant, contract=contract, period=reporting.period, today=reporting.today)
    name = f"readings-{slugify(contract.number) or contract.pk}-{reporting.period:%Y-%m}.{fmt}"
    if fmt == "csv":
        return download_response(imports.csv_template(rows), filename=name, content_type="text/csv; charset=utf-8")
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return download_response(imports.xlsx_template(rows), filename=name, content_type=content_type)


# -- hot-water volumes ----------------------------------------------------------------------------


@contract_page
def hot_water(request, contract):
    reporting = ReportingPeriod(request, contract, hot_water=True)
    rows = hot_water_rows(contract=contract, period=reporting.period, calendar=reporting.calendar)
    data = request.POST if request.method == "POST" else None
    lines = []
    for row in rows:
        initial = {"volume": row.record.volume} if row.record is not None and not row.computed else {}
        lines.append((row, HotWaterRowForm(data, prefix=f"p{row.service_point.pk}", initial=initial)))
    if request.method == "POST" and reporting.window is not None:
        forms_valid = all(form.is_valid() for row, form in lines if not row.computed and not row.submitted)
        if forms_valid:
            entered = {
                row.service_point.pk: form.cleaned_data.get("volume")
                for row, form in lines
                if not row.computed and not row.submitted
            }
            submit = "submit" in request.POST
            try:
                saved = save_hot_water_volumes(
                    tenant=reporting.tenant,
                    contract=contract,
                    period=reporting.period,
                    entered=entered,
                    user=request.user,
                    calendar=reporting.calendar,
                    today=reporting.today,
                    submit=submit,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if submit:
                    messages.success(request, _("The hot-water volumes are submitted."))
                else:
                    message = ngettext("%(n)s volume saved as a draft.", "%(n)s volumes saved as drafts.", len(saved))
                    messages.success(request, message % {"n": len(saved)})
                return redirect(period_url(contract, reporting.period, "cabinet:hot_water"))
        else:
            messages.error(request, _("Some volumes could not be read; see the rows marked in red."))
    return render_contract_page(
        request,
        contract,
        "cabinet/readings/hot_water.html",
        {
            "reporting": reporting,
            "lines": lines,
            "window_open": reporting.window is not None and reporting.window.contains(reporting.today),
        },
    )


# -- archive --------------------------------------------------------------------------------------


def _archive_query(request, contract):
    form = ArchiveFilterForm(request.GET or None, service_points=contract.service_points.all())
    filters = form.cleaned_data if form.is_valid() else {}
    readings = archive_readings(
        contract=contract,
        service_point=filters.get("service_point"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    return form, readings


@contract_page
@require_GET
def archive(request, contract):
    form, readings = _archive_query(request, contract)
    result = archive_page(readings, after=Cursor.parse(request.GET.get("after")))
    kept = {key: request.GET[key] for key in ("service_point", "date_from", "date_to") if request.GET.get(key)}
    older_url = f"?{urlencode({**kept, 'after': str(result.older)})}" if result.older else None
    return render_contract_page(
        request,
        contract,
        "cabinet/readings/archive.html",
        {
            "form": form,
            "result": result,
            "older_url": older_url,
            "first_url": f"?{urlencode(kept)}" if "after" in request.GET else None,
            "csv_query": urlencode(kept),
            "filtered": bool(kept),
            "units": UNIT_BY_KIND,
        },
    )


@contract_page
@require_GET
def archive_csv(request, contract):
    _form, readings = _archive_query(request, contract)
    writer = csv.writer(Echo(), delimiter=";")
    header = [_("Date"), _("Meter number"), _("Kind"), _("Connection point"), _("Reading"), _("Source")]

    kinds = {code: str(label) for code, label in Meter.Kind.choices}
    sources = {code: str(label) for code, label in Reading.Source.choices}
    columns = (
        "reading_date",
        "meter__serial_number",
        "meter__kind",
        "meter__service_point__address",
        "value",
        "source",
    )

    def lines():
        # Plain tuples in chunks of 2,000 rows, one string a chunk: no model instance per row, and a
        # few hundred writes to the socket for a million rows (issue #12: >= 100,000 rows/s).
        yield "\ufeff" + writer.writerow(header)
        chunk = []
        for day, serial, kind, address, value, source in readings.values_list(*columns).iterator(chunk_size=CSV_CHUNK):
            chunk.append(writer.writerow((day.isoformat(), serial, kinds.get(kind, kind), address or "",
                                          f"{value.normalize():f}", sources.get(source, source))))  # fmt: skip
            if len(chunk) == CSV_CHUNK:
                yield "".join(chunk)
                chunk.clear()
        if chunk:
            yield "".join(chunk)

    name = f"readings-archive-{slugify(contract.number) or contract.pk}.csv"
    return download_response(lines(), filename=name, content_type="text/csv; charset=utf-8")
