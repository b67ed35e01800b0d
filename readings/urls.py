from django.urls import path

from readings import views

app_name = "readings"

urlpatterns = [
    path("", views.submit_readings_start, name="submit_readings"),
    path("form/", views.submit_readings_form, name="submit_readings_form"),
    path("<str:number>/registered/", views.submission_done, name="submission_done"),
    path("lines/<int:pk>/photo/", views.submission_photo, name="submission_photo"),
    path("drafts/<int:pk>/photo/", views.draft_photo, name="draft_photo"),
]
