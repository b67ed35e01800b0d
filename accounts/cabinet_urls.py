from django.urls import path

from accounts.views import cabinet

app_name = "cabinet"

urlpatterns = [
    path("", cabinet.home, name="home"),
    path("link/", cabinet.link_contract, name="link_contract"),
    path("contracts/", cabinet.contracts, name="contracts"),
    path("contracts/<int:contract_id>/", cabinet.contract_detail, name="contract_detail"),
    path("contracts/<int:contract_id>/document/", cabinet.contract_document, name="contract_document"),
    path("contracts/<int:contract_id>/consumer/", cabinet.consumer_info, name="consumer_info"),
    path("contracts/<int:contract_id>/remove/", cabinet.contract_remove, name="contract_remove"),
]
