"""Cabinet pages of readings (W5 cold water, hot-water volumes, archive; W4 meter readings)."""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from cabinet import imports
from cabinet.access import cabinet_menu, cabinet_view, contract_for_member_or_404
from cabinet.forms.readings import (
    ArchiveFilterForm,
    HotWaterRowForm,
    PeriodForm,
    ReadingRowForm,
    UploadForm,
    parse_period,
)
from cabinet.models import PeriodReading
from cabinet.selectors.archive import Cursor, archive_page, archive_readings
from cabinet.services.hot_water import hot_water_rows, save_hot_water_volumes
from cabinet.services.period_readings import Entry, meter_rows, save_period_drafts, submit_period_readings
from cabinet.windows import default_period, submission_window
from meters.models import ServicePoint
from meters.selectors import UNIT_BY_KIND
from portal.files import download_response
from portal.models import Workflow
from portal.workdays import calendar_for


class Echo:
    """A file-like object whose write() hands the line back, for streaming CSV."""

    def write(self, value):
        return value


def page(request, template, contract, **context):
    context.update(contract=contract, cabinet_menu=cabinet_menu(request.tenant, contract))
    return render(request, template, context)


def period_url(contract, period, name="cabinet:readings"):
    return f"{reverse(name, kwargs={'contract_id': contract.pk})}?period={period:%Y-%m}"


def cabinet_title(tenant):
    return _("Cold-water readings") if tenant.offers(Workflow.CONTRACT_CABINET) else _("Meter readings")


class Setting:
    """What every period page needs: the contract, today, the calendar and the chosen period."""

    def __init__(self, request, contract_id, *, hot_water=False):
        self.tenant = request.tenant
        self.contract = contract_for_member_or_404(self.tenant, request.user, contract_id)
        self.calendar = calendar_for(self.tenant)
        self.today = self.tenant.today()
        self.default = default_period(self.contract, self.today, hot_water=hot_water, calendar=self.calendar)
        chosen = request.POST.get("period") or request.GET.get("period")
        self.period = parse_period(chosen, self.default)
        self.window = submission_window(self.contract, self.period, hot_water=hot_water, calendar=self.calendar)
        self.period_form = PeriodForm(initial={"period": f"{self.period:%Y-%m}"}, default=self.default)


# -- cold-water readings --------------------------------------------------------------------------


@cabinet_view
def period_readings(request, contract_id):
    s = Setting(request, contract_id)
    rows = meter_rows(tenant=s.tenant, contract=s.contract, period=s.period, today=s.today)
    data = request.POST if request.method == "POST" else None
    lines = []
    for row in rows:
        draft = row.period_reading
        initial = {"reading_date": s.today}
        if draft is not None:
            initial = {"value": f"{draft.value.normalize():f}", "reading_date": draft.reading_date}
        lines.append((row, ReadingRowForm(data, prefix=f"m{row.meter.pk}", initial=initial)))

    if request.method == "POST":
        open_lines = [(row, form) for row, form in lines if not _accepted(row)]
        if all(form.is_valid() for _row, form in open_lines):
            entries = [
                Entry(row.meter.pk, form.cleaned_data["value"], form.cleaned_data["reading_date"] or s.today)
                for row, form in open_lines
                if form.cleaned_data["value"] is not None
            ]
            if "submit" in request.POST:
                if _submit_entries(request, s, entries):
                    return redirect(period_url(s.contract, s.period))
            else:
                saved = save_period_drafts(
                    tenant=s.tenant,
                    contract=s.contract,
                    period=s.period,
                    entries=entries,
                    user=request.user,
                    today=s.today,
                )
                messages.success(request, ngettext("%(n)s draft saved.", "%(n)s drafts saved.", saved) % {"n": saved})
                return redirect(period_url(s.contract, s.period))
        else:
            messages.error(request, _("Some rows could not be read; see the rows marked in red."))

    return page(
        request,
        "cabinet/readings/period.html",
        s.contract,
        title=cabinet_title(s.tenant),
        setting=s,
        lines=lines,
        window_open=s.window.contains(s.today),
        water=s.tenant.offers(Workflow.CONTRACT_CABINET),
    )


def _accepted(row):
    return row.period_reading is not None and row.period_reading.status == PeriodReading.Status.ACCEPTED


def _report_outcomes(request, outcomes):
    accepted = sum(outcome.accepted for outcome in outcomes)
    refused = len(outcomes) - accepted
    if accepted:
        message = ngettext("%(n)s reading accepted.", "%(n)s readings accepted.", accepted)
        messages.success(request, message % {"n": accepted})
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


@cabinet_view
def upload(request, contract_id):
    s = Setting(request, contract_id)
    key = upload_session_key(s.contract)
    if request.method == "POST" and request.POST.get("action") == "submit_valid":
        pending = request.session.pop(key, None)
        if not pending or pending["period"] != f"{s.period:%Y-%m}":
            messages.error(request, _("The checked file is no longer available; upload it again."))
            return redirect("cabinet:readings_upload", contract_id=s.contract.pk)
        entries = [Entry(meter_id, imports.parse_value(value), _date(day)) for meter_id, value, day in pending["rows"]]
        return _submit_upload(request, s, entries)

    form = UploadForm(request.POST or None, request.FILES or None, default=s.default)
    form.fields["period"].initial = f"{s.period:%Y-%m}"
    report = None
    if request.method == "POST" and form.is_valid():
        rows = meter_rows(tenant=s.tenant, contract=s.contract, period=s.period, today=s.today)
        checked = imports.check_rows(form.table, meter_rows=rows, today=s.today)
        if not s.window.contains(s.today):
            from cabinet.windows import closed_message

            form.add_error(None, closed_message(s.contract, s.period, s.today, calendar=s.calendar))
        elif not checked:
            form.add_error("file", _("The file has no readings: fill in the “Current reading” column."))
        elif all(not row.error for row in checked):
            return _submit_upload(request, s, [row.entry() for row in checked])
        else:
            valid = [row for row in checked if not row.error]
            # The checked rows wait in the session (not in a file) until the user decides.
            request.session[key] = {
                "period": f"{s.period:%Y-%m}",
                "rows": [[row.meter_id, str(row.value), row.reading_date.isoformat()] for row in valid],
            }
            report = {"rows": checked, "valid": len(valid), "invalid": len(checked) - len(valid)}
    return page(
        request,
        "cabinet/readings/upload.html",
        s.contract,
        setting=s,
        form=form,
        report=report,
        window_open=s.window.contains(s.today),
    )


def _date(text):
    import datetime

    return datetime.date.fromisoformat(text)


def _submit_entries(request, s, entries):
    """Submit the rows and report each row's outcome; False (with the reason shown) when the
    submission as a whole is refused, e.g. outside the window."""
    try:
        outcomes = submit_period_readings(
            tenant=s.tenant,
            contract=s.contract,
            period=s.period,
            entries=entries,
            user=request.user,
            today=s.today,
            calendar=s.calendar,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    _report_outcomes(request, outcomes)
    return True


def _submit_upload(request, s, entries):
    if not _submit_entries(request, s, entries):
        return redirect("cabinet:readings_upload", contract_id=s.contract.pk)
    return redirect(period_url(s.contract, s.period))


@cabinet_view
@require_GET
def readings_template(request, contract_id, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    s = Setting(request, contract_id)
    rows = meter_rows(tenant=s.tenant, contract=s.contract, period=s.period, today=s.today)
    name = f"readings-{slugify(s.contract.number) or s.contract.pk}-{s.period:%Y-%m}.{fmt}"
    if fmt == "csv":
        return download_response(imports.csv_template(rows), filename=name, content_type="text/csv; charset=utf-8")
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return download_response(imports.xlsx_template(rows), filename=name, content_type=content_type)


# -- hot-water volumes ----------------------------------------------------------------------------


@cabinet_view
def hot_water(request, contract_id):
    s = Setting(request, contract_id, hot_water=True)
    rows = hot_water_rows(tenant=s.tenant, contract=s.contract, period=s.period, calendar=s.calendar)
    data = request.POST if request.method == "POST" else None
    lines = []
    for row in rows:
        initial = {"volume": row.record.volume} if row.record is not None and not row.computed else {}
        lines.append((row, HotWaterRowForm(data, prefix=f"p{row.service_point.pk}", initial=initial)))
    if request.method == "POST" and s.window is not None:
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
                    tenant=s.tenant,
                    contract=s.contract,
                    period=s.period,
                    entered=entered,
                    user=request.user,
                    calendar=s.calendar,
                    today=s.today,
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
                return redirect(period_url(s.contract, s.period, "cabinet:hot_water"))
        else:
            messages.error(request, _("Some volumes could not be read; see the rows marked in red."))
    return page(
        request,
        "cabinet/readings/hot_water.html",
        s.contract,
        setting=s,
        lines=lines,
        window_open=s.window is not None and s.window.contains(s.today),
    )


# -- archive --------------------------------------------------------------------------------------


def _archive_query(request, contract):
    points = ServicePoint.objects.for_tenant(request.tenant).filter(contract=contract)
    form = ArchiveFilterForm(request.GET or None, service_points=points)
    filters = form.cleaned_data if form.is_valid() else {}
    readings = archive_readings(
        tenant=request.tenant,
        contract=contract,
        service_point=filters.get("service_point"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    return form, readings


@cabinet_view
@require_GET
def archive(request, contract_id):
    contract = contract_for_member_or_404(request.tenant, request.user, contract_id)
    form, readings = _archive_query(request, contract)
    result = archive_page(readings, after=Cursor.parse(request.GET.get("after")))
    kept = {key: request.GET[key] for key in ("service_point", "date_from", "date_to") if request.GET.get(key)}
    older_url = f"?{urlencode({**kept, 'after': str(result.older)})}" if result.older else None
    return page(
        request,
        "cabinet/readings/archive.html",
        contract,
        form=form,
        result=result,
        older_url=older_url,
        first_url=f"?{urlencode(kept)}" if "after" in request.GET else None,
        csv_query=urlencode(kept),
        units=UNIT_BY_KIND,
    )


@cabinet_view
@require_GET
def archive_csv(request, contract_id):
    contract = contract_for_member_or_404(request.tenant, request.user, contract_id)
    _form, readings = _archive_query(request, contract)
    writer = csv.writer(Echo(), delimiter=";")
    header = [_("Date"), _("Meter number"), _("Kind"), _("Connection point"), _("Reading"), _("Source")]

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for reading in readings.iterator(chunk_size=2000):
            meter = reading.meter
            yield writer.writerow([
                reading.reading_date.isoformat(),
                meter.serial_number,
                meter.get_kind_display(),
                meter.service_point.address if meter.service_point else "",
                f"{reading.value.normalize():f}",
                reading.get_source_display(),
            ])  # fmt: skip

    name = f"readings-archive-{slugify(contract.number) or contract.pk}.csv"
    return download_response(lines(), filename=name, content_type="text/csv; charset=utf-8")
