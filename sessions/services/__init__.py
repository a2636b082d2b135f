"""Every write on sessions, officials and their lists. One transaction each, with its audit event
(or, for officials and organizations, which outlive sessions, its registry event).

Lists (candidates, voters) change only while the session is a draft; the counting committee,
elected on the day, until the results are certified (committee.py). Each service locks the
session row first and checks its status on the locked row, so a concurrent "ready" or "certify"
cannot slip between the check and the write.

The status itself is written only by `session_transition` (transitions.py, with the table of
allowed moves); other apps' services lock with `lock_session` and refuse with `refuse`.
"""

from __future__ import annotations

from .committee import (  # noqa: F401
    MSG_COMMITTEE_CERTIFIED,
    committee_member_add,
    committee_member_build,
    committee_member_remove,
    committee_member_update,
)
from .common import (  # noqa: F401
    MSG_ALREADY_OPENED,
    MSG_DUPLICATE_MEMBER,
    MSG_DUPLICATE_VOTER,
    MSG_NOT_DRAFT,
    MSG_NOT_READY,
    MSG_OFFICIAL_TWICE,
    MSG_ON_COMMITTEE,
    MSG_RATED_ON_COMMITTEE,
    MSG_SECOND_HEAD,
    MSG_WRONG_ORGANIZATION,
    audit_record,
    lock_session,
    refuse,
)
from .lifecycle import (  # noqa: F401
    COUNTED_FIELDS,
    MSG_NOT_EDITABLE,
    SESSION_FIELDS,
    default_scope,
    session_back_to_draft,
    session_create,
    session_create_counted,
    session_draft,
    session_mark_ready,
    session_update,
)
from .lists import (  # noqa: F401
    candidate_add,
    candidate_move,
    candidate_remove,
    candidate_update,
    voter_add,
    voter_remove,
    voter_update,
    voters_add_rows,
    voters_import,
)
from .registry import (  # noqa: F401
    MSG_OFFICIAL_ON_RECORD,
    MSG_ORGANIZATION_ON_RECORD,
    official_check_change,
    official_save,
    organization_check_change,
    organization_save,
    registry_delete,
    registry_record,
)
from .reuse import CandidateCopy, candidates_of, session_derive, session_reuse  # noqa: F401
from .roster import (  # noqa: F401
    roster_member_add,
    roster_member_remove,
    roster_save_from_session,
    voters_from_roster,
)
from .transitions import (  # noqa: F401
    TRANSITIONS,
    can_transition,
    session_new,
    session_transition,
)
