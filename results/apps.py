from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # verify_audit and the audit page (in sessions, which cannot import results) also check
        # the frozen documents of a certified session.
        from sessions import integrity

        from . import contributions, frozen

        integrity.register(frozen.session_problems)
        # The session pages' results tab and button (sessions cannot import results).
        contributions.register()
