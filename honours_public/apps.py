from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursPublicConfig(AppConfig):
    name = "honours_public"
    verbose_name = _("Public honour roll")
