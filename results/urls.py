from django.urls import path

from . import document_views, follow_up_views, minutes_views, views

app_name = "results"

urlpatterns = [
    path("sessions/<int:pk>/results/", views.results_page, name="page"),
    path("sessions/<int:pk>/results/certify/", views.certify, name="certify"),
    path("sessions/<int:pk>/results/publish/", views.publish, name="publish"),
    path("sessions/<int:pk>/results/unpublish/", views.unpublish, name="unpublish"),
    path("sessions/<int:pk>/results/minutes.pdf", views.minutes, name="minutes"),
    path(
        "sessions/<int:pk>/results/minutes-details/",
        minutes_views.minutes_details,
        name="minutes_details",
    ),
    path("sessions/<int:pk>/results/announcement.pdf", views.announcement, name="announcement"),
    path("sessions/<int:pk>/results/ballots.csv", views.ballot_set, name="ballot_set"),
    # The documents that follow the count (results/document_views.py).
    path("sessions/<int:pk>/results/documents/", document_views.documents_page, name="documents"),
    path(
        "sessions/<int:pk>/results/documents/details/",
        document_views.documents_details,
        name="documents_details",
    ),
    path(
        "sessions/<int:pk>/results/documents/adoption/",
        document_views.resolution_adoption,
        name="resolution_adoption",
    ),
    path(
        "sessions/<int:pk>/results/documents/<str:kind>.<str:fmt>",
        document_views.document_file,
        name="document_file",
    ),
    path("sessions/<int:pk>/results/results.<str:fmt>", views.export, name="export"),
    path(
        "sessions/<int:pk>/results/follow-up/",
        follow_up_views.follow_up_create,
        name="follow_up_create",
    ),
    path(
        "sessions/<int:pk>/results/resignations/<int:candidate_pk>/",
        follow_up_views.resignation_record,
        name="resignation_record",
    ),
    path("officials/<int:pk>/", views.official_page, name="official"),
    path("overview/", views.overview, name="overview"),
    path("public/", views.public_list, name="public_list"),
    path("public/<str:public_id>/", views.public_page, name="public_page"),
    path("public/<str:public_id>/minutes.pdf", views.public_minutes, name="public_minutes"),
    path("api/sessions/<str:public_id>/results.json", views.api_results, name="api"),
]
