from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoteSessionsConfig(AppConfig):
    name = "sessions"
    label = "votesessions"
    verbose_name = _("Voting sessions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The session header's own tabs; ballots and results add theirs between the committee
        # and the audit trail (orders 50-99) from their own ready().
        from .tabs import register_tab

        register_tab("overview", _("Overview"), "votesessions:detail", order=10)
        register_tab("candidates", _("Candidates"), "votesessions:candidates", order=20)
        register_tab("voters", _("Summoned voters"), "votesessions:voters", order=30)
        register_tab("committee", _("Committee"), "votesessions:committee", order=40)
        register_tab("audit", _("Audit trail"), "votesessions:audit", order=100)
