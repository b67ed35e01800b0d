from django.urls import path

from meters import views_cabinet

app_name = "cabinet_readings"

urlpatterns = [
    path("<int:contract_id>/", views_cabinet.period_readings, name="period"),
    path("<int:contract_id>/upload/", views_cabinet.upload, name="upload"),
    path("<int:contract_id>/template.<str:fmt>", views_cabinet.readings_template, name="template"),
    path("<int:contract_id>/hot-water/", views_cabinet.hot_water, name="hot_water"),
    path("<int:contract_id>/archive/", views_cabinet.archive, name="archive"),
    path("<int:contract_id>/archive.csv", views_cabinet.archive_csv, name="archive_csv"),
]
