"""Billing sections of the legal-entity cabinet (W4): billing history, payments received, the
current month's estimate and the monthly report (page, CSV, PDF rendered by a task)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from billing import reports
from billing import selectors_cabinet as selectors
from billing.services import account_balance
from cabinet.access import contract_page, render_contract_page
from portal.access import require_download
from portal.dates import add_months
from portal.files import download_response, private_file_response


def _year(request, years, today):
    """The year asked for in ?year=, else the newest year with rows (this year when none)."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year in years:
        return year
    return years[0] if years else today.year


def _balance_context(account):
    balance = account_balance(account)
    return {"balance": balance, "balance_amount": abs(balance), "in_debt": balance < 0}


@contract_page
def history(request, contract):
    account = contract.account
    years = selectors.invoice_years(account)
    year = _year(request, years, request.tenant.today())
    context = {"years": years, "year": year, "months": selectors.invoices_by_month(account, year)}
    return render_contract_page(request, contract, "cabinet/billing/history.html", context)


@contract_page
def payments(request, contract):
    account = contract.account
    years = selectors.payment_years(account)
    year = _year(request, years, request.tenant.today())
    rows = selectors.payments_with_running_totals(account, year)
    context = {
        "years": years,
        "year": year,
        "rows": rows,
        "year_total": rows[0].running_total if rows else 0,
        "currency": request.tenant.currency,
        **_balance_context(account),
    }
    return render_contract_page(request, contract, "cabinet/billing/payments.html", context)


@contract_page
def current_month(request, contract):
    estimate = selectors.current_month_estimate(contract, request.tenant.today())
    context = {"estimate": estimate, "currency": request.tenant.currency}
    return render_contract_page(request, contract, "cabinet/billing/current_month.html", context)


def _report_period(request):
    """?period=YYYY-MM, else the last complete month."""
    today = request.tenant.today()
    period = selectors.parse_period(request.GET.get("period") or request.POST.get("period"))
    if period is None or period > today:
        period = add_months(today, -1)
    return period


@contract_page
def report(request, contract):
    period = _report_period(request)
    data = selectors.monthly_report(contract, period)
    pdf = contract.monthly_reports.filter(period=period).first()
    context = {
        "report": data,
        "period": period,
        "period_value": period.strftime("%Y-%m"),
        "previous_period": add_months(period, -1).strftime("%Y-%m"),
        "next_period": add_months(period, 1).strftime("%Y-%m"),
        "has_next": add_months(period, 1) <= request.tenant.today(),
        "pdf_report": pdf,
    }
    return render_contract_page(request, contract, "cabinet/billing/report.html", context)


@contract_page
def report_csv(request, contract):
    period = _report_period(request)
    data = selectors.monthly_report(contract, period)
    return download_response(
        reports.stream_report_csv(data),
        filename=reports.report_filename(contract, period, "csv"),
        content_type="text/csv; charset=utf-8",
    )


@never_cache
@contract_page
@require_http_methods(["GET", "POST"])
def report_pdf(request, contract):
    """GET: the PDF when it is rendered, else a page that says it is being prepared (refreshing
    itself) or offers to prepare it. POST: (re)prepare it; a task renders it after commit."""
    period = _report_period(request)
    url = reverse("cabinet:report_pdf", kwargs={"contract_id": contract.pk}) + f"?period={period:%Y-%m}"
    if request.method == "POST":
        reports.request_monthly_report(contract=contract, period=period, user=request.user, language=get_language())
        messages.info(request, _("The PDF of the report is being prepared."))
        return redirect(url)
    report = contract.monthly_reports.filter(period=period).first()
    if report is None or not report.pdf:
        context = {"period": period, "period_value": period.strftime("%Y-%m"), "pdf_report": report, "url": url}
        return render_contract_page(request, contract, "cabinet/billing/report_preparing.html", context)
    # contract_page found the contract through the user's organization membership: he holds it.
    require_download(request, tenant=request.tenant, branch=contract.account.branch_id, owned=True)
    return private_file_response(
        report.pdf, filename=reports.report_filename(contract, period, "pdf"), content_type="application/pdf"
    )
