from django.urls import path

from . import list_views, reuse_views, views

app_name = "votesessions"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("sessions/new/", views.session_create, name="create"),
    path("sessions/<int:pk>/", views.session_detail, name="detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="edit"),
    path("sessions/<int:pk>/audit/", views.session_audit, name="audit"),
    path("sessions/<int:pk>/audit/check/", views.session_audit_check, name="audit_check"),
    path("sessions/<int:pk>/ready/", views.session_ready, name="ready"),
    path("sessions/<int:pk>/draft/", views.session_draft, name="draft"),
    path("sessions/<int:pk>/reuse/", reuse_views.session_reuse, name="reuse"),
    path("bodies/<int:org_pk>/roster/", reuse_views.roster_page, name="roster"),
    path(
        "bodies/<int:org_pk>/roster/<int:member_pk>/remove/",
        reuse_views.roster_remove,
        name="roster_remove",
    ),
    path(
        "sessions/<int:pk>/voters/from-roster/",
        reuse_views.voters_from_roster,
        name="voters_from_roster",
    ),
    path(
        "sessions/<int:pk>/voters/save-roster/",
        reuse_views.roster_from_voters,
        name="roster_from_voters",
    ),
    path("sessions/<int:pk>/candidates/", list_views.session_candidates, name="candidates"),
    path(
        "sessions/<int:pk>/candidates/<int:candidate_pk>/",
        list_views.candidate_edit,
        name="candidate_edit",
    ),
    path(
        "sessions/<int:pk>/candidates/<int:candidate_pk>/move/",
        list_views.candidate_move,
        name="candidate_move",
    ),
    path(
        "sessions/<int:pk>/candidates/<int:candidate_pk>/remove/",
        list_views.candidate_remove,
        name="candidate_remove",
    ),
    path("sessions/<int:pk>/voters/", list_views.session_voters, name="voters"),
    path("sessions/<int:pk>/voters/import/", list_views.voters_import, name="voters_import"),
    path(
        "sessions/<int:pk>/voters/import/confirm/",
        list_views.voters_import_confirm,
        name="voters_import_confirm",
    ),
    path("sessions/<int:pk>/voters/<int:voter_pk>/", list_views.voter_edit, name="voter_edit"),
    path(
        "sessions/<int:pk>/voters/<int:voter_pk>/remove/",
        list_views.voter_remove,
        name="voter_remove",
    ),
    path("sessions/<int:pk>/committee/", list_views.session_committee, name="committee"),
    path(
        "sessions/<int:pk>/committee/<int:member_pk>/",
        list_views.committee_edit,
        name="committee_edit",
    ),
    path(
        "sessions/<int:pk>/committee/<int:member_pk>/remove/",
        list_views.committee_remove,
        name="committee_remove",
    ),
]
