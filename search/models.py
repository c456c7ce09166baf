from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Term(models.Model):
    """A word seen in a post, in its normal form (analysis.normal): what a typo is
    corrected to and what a German compound is split into."""

    word = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.word


class Synonym(models.Model):
    """Words that mean the same to a customer, in one language or across both (WLAN,
    WiFi, Wi-Fi). Applied when a query is read, so no post is indexed again."""

    words = models.CharField(
        _("words"),
        max_length=300,
        help_text=_("Separated by commas, for example: WLAN, WiFi, Wi-Fi"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self) -> str:
        return self.words

    def clean(self) -> None:
        from search import analysis

        if len({tuple(analysis.words(entry)) for entry in self.words.split(",")} - {()}) < 2:
            raise ValidationError({"words": _("Give at least two different words.")})


class SearchLog(models.Model):
    """What was searched for on a day: the query's normal form and counts, never who
    searched or from where. Kept SEARCH_LOG_DAYS days."""

    day = models.DateField()
    query = models.CharField(max_length=200)
    searches = models.PositiveIntegerField(default=0)
    # Searches that found nothing, and searches after which a result was opened.
    empty = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("search")
        verbose_name_plural = _("searches")
        constraints = [
            models.UniqueConstraint(fields=["day", "query"], name="search_log_day_query"),
            models.CheckConstraint(
                condition=models.Q(empty__lte=models.F("searches")), name="search_log_empty"
            ),
            models.CheckConstraint(
                condition=models.Q(clicks__lte=models.F("searches")), name="search_log_clicks"
            ),
        ]
        indexes = [models.Index(fields=["day"], name="search_log_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.query}"
