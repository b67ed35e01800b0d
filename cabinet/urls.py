"""The legal-entity cabinet (W4, W5) under one namespace. Everything a company does with a
contract is nested under it: the contract is resolved once, by ``cabinet.access.contract_page``."""

from django.urls import include, path

from cabinet.views import billing, contracts, readings, requests

app_name = "cabinet"

contract_pages = [
    path("", contracts.contract_detail, name="contract_detail"),
    path("document/", contracts.contract_document, name="contract_document"),
    path("consumer/", contracts.consumer_info, name="consumer_info"),
    path("remove/", contracts.contract_remove, name="contract_remove"),
    # W5 readings with the deadline window, hot-water volumes, upload and archive
    path("readings/", readings.period_readings, name="readings"),
    path("readings/upload/", readings.upload, name="readings_upload"),
    path("readings/template.<str:fmt>", readings.readings_template, name="readings_template"),
    path("readings/hot-water/", readings.hot_water, name="hot_water"),
    path("readings/archive/", readings.archive, name="archive"),
    path("readings/archive.csv", readings.archive_csv, name="archive_csv"),
    # W4 billing pages
    path("billing/history/", billing.history, name="billing_history"),
    path("billing/payments/", billing.payments, name="payments"),
    path("billing/current-month/", billing.current_month, name="current_month"),
    path("billing/report/", billing.report, name="report"),
    path("billing/report.csv", billing.report_csv, name="report_csv"),
    path("billing/report.pdf", billing.report_pdf, name="report_pdf"),
    # W4 requests: limit change, requisites, claims, employee lists
    path("requests/", requests.requests_list, name="requests"),
    path("requests/limit/", requests.limit_change, name="limit_change"),
    path("requests/requisites/", requests.requisites_change, name="requisites_change"),
    path("requests/claims/new/", requests.claim_new, name="claim_new"),
    path("requests/employees/", requests.employee_lists, name="employee_lists"),
    path("requests/employees/new/", requests.employee_list_new, name="employee_list_new"),
    path("requests/attachments/<int:pk>/", requests.attachment, name="request_attachment"),
    path("requests/<str:number>/", requests.request_detail, name="request_detail"),
]

urlpatterns = [
    path("", contracts.home, name="home"),
    path("link/", contracts.link_contract, name="link_contract"),
    path("contracts/", contracts.contracts, name="contracts"),
    path("contracts/<int:contract_id>/", include(contract_pages)),
]
