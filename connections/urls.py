from django.urls import path

from connections import views

app_name = "connections"

urlpatterns = [
    path("", views.apply, name="apply"),
    path("quote/", views.quote_partial, name="quote"),
    path("<str:number>/technical-conditions.pdf", views.conditions_pdf, name="conditions_pdf"),
]
