from django.urls import path, register_converter

from . import paper_views, tally_import_views, views, voter_views


class EntryLabel:
    """A or B: the first pass through the pile of paper ballots, or the checking second one."""

    regex = "[AB]"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(EntryLabel, "entry")

app_name = "ballots"

urlpatterns = [
    # Voters: short URLs, no sign-in; first, as they are the most requested.
    path("b/", voter_views.ballot_start, name="start"),
    path("b/review/", voter_views.ballot_review, name="review"),
    path("b/cast/", voter_views.ballot_cast, name="cast"),
    path("b/done/", voter_views.ballot_done, name="done"),
    # Staff
    path("sessions/<int:pk>/codes/", views.codes_page, name="codes"),
    path("sessions/<int:pk>/desk/", views.desk, name="desk"),
    path("sessions/<int:pk>/desk/unlock/", views.desk_unlock, name="desk_unlock"),
    path("sessions/<int:pk>/desk/explanation/", views.desk_explanation, name="desk_explanation"),
    path("sessions/<int:pk>/desk/<int:voter_pk>/check-in/", views.check_in, name="check_in"),
    path("sessions/<int:pk>/open/", views.session_open, name="open"),
    path("sessions/<int:pk>/close/", views.session_close, name="close"),
    path("sessions/<int:pk>/turnout/", views.turnout_screen, name="turnout"),
    # Paper
    path("sessions/<int:pk>/ballot-form/", paper_views.ballot_form_page, name="ballot_form_page"),
    path("sessions/<int:pk>/ballot-form.pdf", paper_views.ballot_form, name="ballot_form"),
    path("sessions/<int:pk>/paper/", paper_views.paper_home, name="paper"),
    path(
        "sessions/<int:pk>/paper/<entry:label>/start/",
        paper_views.paper_entry_start,
        name="paper_start",
    ),
    path("sessions/<int:pk>/paper/<entry:label>/", paper_views.paper_entry, name="paper_entry"),
    path(
        "sessions/<int:pk>/paper/<entry:label>/undo/",
        paper_views.paper_entry_undo,
        name="paper_undo",
    ),
    path(
        "sessions/<int:pk>/paper/<entry:label>/finish/",
        paper_views.paper_entry_finish,
        name="paper_finish",
    ),
    path(
        "sessions/<int:pk>/paper/<entry:label>/discard/",
        paper_views.paper_entry_discard,
        name="paper_discard",
    ),
    path("sessions/<int:pk>/tally/", paper_views.tally, name="tally"),
    path("sessions/import-tally/", tally_import_views.tally_import, name="tally_import"),
]
