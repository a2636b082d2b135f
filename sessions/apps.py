from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoteSessionsConfig(AppConfig):
    name = "sessions"
    label = "votesessions"
    verbose_name = _("Voting sessions")
    default_auto_field = "django.db.models.BigAutoField"
