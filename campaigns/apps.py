from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The dashboard's campaign panel, the session's campaign tab and the audit label
        # (sessions cannot import campaigns).
        from . import contributions

        contributions.register()
