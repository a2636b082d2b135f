"""Every write of the people app: bodies, accounts and roles, officials. One transaction each,
with its record (AccountEvent, or sessions' RegistryEvent for bodies and officials)."""

from __future__ import annotations

from .accounts import (  # noqa: F401
    MSG_ACCOUNT_OUT_OF_REACH,
    MSG_BODY_OUT_OF_REACH,
    MSG_LAST_ADMINISTRATOR,
    MSG_NOT_YOURSELF,
    account_create,
    account_rename,
    account_set_active,
    password_changed_by_owner,
    password_reset,
    role_grant,
    role_withdraw,
)
from .bodies import BODY_FIELDS, body_create, body_update  # noqa: F401
from .officials import (  # noqa: F401
    MSG_MERGE_ACROSS_BODIES,
    official_create,
    official_merge,
    official_update,
    officials_import,
    position_add,
    position_remove,
)
