from django.urls import path

from applications import views

app_name = "applications"

urlpatterns = [
    path("", views.my_list, name="my_list"),
    path("status/", views.status_check, name="status_check"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path("<str:number>/answer/", views.answer, name="answer"),
]
