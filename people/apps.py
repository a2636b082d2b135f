from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    label = "people"
    verbose_name = _("Bodies, accounts and officials")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Proposes "not rated: elected or appointed this year" when an official whose position
        # started in the session's year is put on a list (sessions.proposals).
        from sessions.proposals import register_exclusion_proposer

        from .selectors import exclusion_for_new_position

        register_exclusion_proposer(exclusion_for_new_position)
