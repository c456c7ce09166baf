from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The search engine every place that searches uses: how text becomes terms, the
    vocabulary, synonyms, and the anonymous log of what people searched for."""

    name = "search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"
