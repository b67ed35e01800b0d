from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("accounts/", views.my_accounts, name="my_accounts"),
    path("accounts/<str:code>/", views.account_detail, name="account_detail"),
    path("invoices/<str:number>/", views.invoice_pdf, name="invoice_pdf"),
]
