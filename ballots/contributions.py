"""What ballots adds to the pages of sessions (which cannot import it): tabs, buttons, and
the names of its actions in the audit trail.

Registered from BallotsConfig.ready(); sessions' templates render them (sessions/tabs.py).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sessions.access import Need
from sessions.audit_labels import register_audit_labels
from sessions.models import VotingSession
from sessions.tabs import SessionPerms, register_action, register_dashboard_link, register_tab

Mode = VotingSession.Mode


# Each entry asks for the need its view asks for (paper_views: COUNT; views.desk: RUN), so
# nobody is shown a tab or a button that answers them 404.


def _counted_paper_ballots(session: VotingSession, perms: SessionPerms) -> bool:
    return session.is_counted and session.mode == Mode.PAPER_BALLOTS and perms.has(Need.COUNT)


def _counted_paper_tally(session: VotingSession, perms: SessionPerms) -> bool:
    return session.is_counted and session.mode == Mode.PAPER_TALLY and perms.has(Need.COUNT)


def _desk_open(session: VotingSession, perms: SessionPerms) -> bool:
    return session.desk_open and perms.has(Need.RUN)


def _slips_to_print(session: VotingSession, perms: SessionPerms) -> bool:
    # Once voting is open, a spare stack (ballots.services.codes_generate).
    return session.desk_open and perms.prepare and session.mode == Mode.ELECTRONIC


def _ballots_to_print(session: VotingSession, perms: SessionPerms) -> bool:
    return session.is_ready and perms.has(Need.RUN) and session.mode != Mode.ELECTRONIC


def _is_open(session: VotingSession, perms: SessionPerms) -> bool:
    return session.is_open


def _can_open(session: VotingSession, perms: SessionPerms) -> bool:
    return session.is_ready and perms.prepare


def _can_close_electronic(session: VotingSession, perms: SessionPerms) -> bool:
    return session.is_open and perms.prepare and session.mode == Mode.ELECTRONIC


def _can_close_paper(session: VotingSession, perms: SessionPerms) -> bool:
    return session.is_open and perms.prepare and session.mode != Mode.ELECTRONIC


def _closed_paper_ballots(session: VotingSession, perms: SessionPerms) -> bool:
    return session.is_closed and session.mode == Mode.PAPER_BALLOTS and perms.has(Need.COUNT)


def _closed_paper_tally(session: VotingSession, perms: SessionPerms) -> bool:
    return session.is_closed and session.mode == Mode.PAPER_TALLY and perms.has(Need.COUNT)


def register() -> None:
    # The session header, after the results tab (order 50).
    register_tab(
        "paper", _("Paper count"), "ballots:paper", order=60, visible=_counted_paper_ballots
    )
    register_tab("tally", _("Tally sheet"), "ballots:tally", order=61, visible=_counted_paper_tally)
    register_tab("desk", _("Check-in desk"), "ballots:desk", order=70, visible=_desk_open)
    register_tab("codes", _("Voter codes"), "ballots:codes", order=80, visible=_slips_to_print)

    # The overview's buttons, after the results button (order 10).
    register_action(
        "codes", _("Voter code slips"), "ballots:codes", order=20, visible=_slips_to_print
    )
    register_action(
        "ballot_form",
        _("Print the paper ballots (PDF)"),
        "ballots:ballot_form_page",
        order=20,
        visible=_ballots_to_print,
    )
    register_action("desk", _("Check-in desk"), "ballots:desk", order=30, visible=_desk_open)
    register_action("turnout", _("Turnout screen"), "ballots:turnout", order=40, visible=_is_open)
    register_action(
        "paper",
        _("Enter the paper ballots"),
        "ballots:paper",
        order=50,
        visible=_closed_paper_ballots,
    )
    register_action(
        "tally", _("Enter the tally sheet"), "ballots:tally", order=50, visible=_closed_paper_tally
    )
    register_action(
        "open",
        _("Open voting"),
        "ballots:open",
        order=60,
        visible=_can_open,
        post=True,
        style="btn-success btn-lg",
        confirm=_("Open voting now?"),
    )
    register_action(
        "close",
        _("Close voting"),
        "ballots:close",
        order=60,
        visible=_can_close_electronic,
        post=True,
        style="btn-danger",
        confirm=_("Close voting? No code will work afterwards."),
    )
    register_action(
        "close_paper",
        _("Close voting"),
        "ballots:close",
        order=60,
        visible=_can_close_paper,
        post=True,
        style="btn-danger",
        confirm=_("Close voting? The committee then counts the paper ballots."),
    )

    register_dashboard_link(
        "tally_import", _("Import counted results"), "ballots:tally_import", order=10
    )

    register_audit_labels(
        {
            "codes_generated": _("Voter codes generated"),
            "voting_opened": _("Voting opened"),
            "voting_closed": _("Voting closed"),
            "device_unlocked": _("Voting device unlocked at the desk"),
            "paper_entry_started": _("Paper entry started"),
            "paper_entry_finished": _("Paper entry finished"),
            "paper_entry_discarded": _("Paper entry discarded"),
            "figures_saved": _("Committee figures saved"),
            "tally_saved": _("Tally sheet saved"),
            "tally_imported": _("Tally sheet imported"),
            "issue_explanation_saved": _("Explanation of ballots issued recorded"),
        }
    )
