from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "nominations"
    verbose_name = _("Nominations")

    def ready(self):
        import_module("nominations.calendar")  # connects the holidays' change signal
