from django.urls import path

from applications import cabinet_views as views

app_name = "cabinet_requests"

urlpatterns = [
    path("<int:contract_id>/", views.requests_list, name="list"),
    path("<int:contract_id>/limit/", views.limit_change, name="limit_change"),
    path("<int:contract_id>/requisites/", views.requisites_change, name="requisites_change"),
    path("<int:contract_id>/claims/new/", views.claim_new, name="claim_new"),
    path("<int:contract_id>/employees/", views.employee_lists, name="employee_lists"),
    path("<int:contract_id>/employees/new/", views.employee_list_new, name="employee_list_new"),
    path("<int:contract_id>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:contract_id>/<str:number>/", views.request_detail, name="detail"),
]
