from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("accounts/", views.my_accounts, name="my_accounts"),
    # Outside accounts/<code>/ so that no subscriber code can shadow it.
    path("add-account/", views.add_account, name="add_account"),
    path("accounts/<str:code>/", views.account_detail, name="account_detail"),
    path("invoices/<str:number>/", views.invoice_pdf, name="invoice_pdf"),
    path("invoices/<str:number>/page/", views.invoice_page, name="invoice_page"),
    path("invoice-packs/<int:organization_id>/<str:period>/", views.invoice_pack, name="invoice_pack"),
]
