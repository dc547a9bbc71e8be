from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsertionConfig(AppConfig):
    name = "insertion"
    verbose_name = _("Insertion (CDDI)")
