from django.urls import path

from billing import cabinet_views as views

app_name = "cabinet_billing"

urlpatterns = [
    path("<int:contract_id>/history/", views.history, name="history"),
    path("<int:contract_id>/payments/", views.payments, name="payments"),
    path("<int:contract_id>/current-month/", views.current_month, name="current_month"),
    path("<int:contract_id>/report/", views.report, name="report"),
    path("<int:contract_id>/report.csv", views.report_csv, name="report_csv"),
    path("<int:contract_id>/report.pdf", views.report_pdf, name="report_pdf"),
]
