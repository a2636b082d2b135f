from django.urls import path

from . import views

app_name = "ballots"

urlpatterns = [
    # Staff
    path("sessions/<int:pk>/codes/", views.codes_page, name="codes"),
    path("sessions/<int:pk>/desk/", views.desk, name="desk"),
    path("sessions/<int:pk>/desk/<int:voter_pk>/check-in/", views.check_in, name="check_in"),
    path("sessions/<int:pk>/open/", views.session_open, name="open"),
    path("sessions/<int:pk>/close/", views.session_close, name="close"),
    path("sessions/<int:pk>/turnout/", views.turnout_screen, name="turnout"),
    # Voters: short URLs, no sign-in
    path("b/", views.ballot_start, name="start"),
    path("b/review/", views.ballot_review, name="review"),
    path("b/cast/", views.ballot_cast, name="cast"),
    path("b/done/", views.ballot_done, name="done"),
]
