from django.urls import path

from removals import views

app_name = "removals"

urlpatterns = [
    path("", views.my_cases, name="my_cases"),
    path("new/", views.open_case, name="open_case"),
    path("cases/<str:number>/", views.case_detail, name="case_detail"),
    path("cases/<str:number>/attend/", views.case_attend, name="case_attend"),
    path("cases/<str:number>/acts/<int:pk>/", views.act_pdf, name="act_pdf"),
]
