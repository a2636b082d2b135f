from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "ballots"
    verbose_name = _("Ballots")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The session pages' tabs and buttons of ballots (sessions cannot import ballots).
        from . import contributions

        contributions.register()
