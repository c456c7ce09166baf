from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Forum(models.Model):
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    # Denormalised so the home page does not count rows per request.
    question_count = models.PositiveIntegerField(default=0, editable=False)
    answer_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    escalate_after_hours = models.PositiveIntegerField(
        _("escalate unanswered questions after (hours)"),
        default=24,
        db_default=24,
        help_text=_("A question without an answer goes to the support team's queue; 0: never."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:forum", args=[self.slug])


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=32, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    GERMAN = "de", _("German")


class Visibility(models.TextChoices):
    """Where a post stands with moderation. Only VISIBLE posts are public and counted in
    the denormalised counters; the author still sees their own post with a notice."""

    VISIBLE = "visible", _("visible")
    PENDING = "pending", _("waiting for review")
    HIDDEN = "hidden", _("hidden pending review")
    REMOVED = "removed", _("removed")


class Post(models.Model):
    """What questions, answers and comments share: an author and markdown stored twice."""

    # SET_NULL: erasing a member keeps their posts for the community, unattributed.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    visibility = models.CharField(
        _("visibility"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.VISIBLE,
        db_default=Visibility.VISIBLE,
    )
    # Why a moderator edited, hid or removed it: shown to the author next to the post.
    moderation_note = models.CharField(
        _("moderator's note"), max_length=300, blank=True, default="", db_default=""
    )

    class Meta:
        abstract = True

    @property
    def is_visible(self) -> bool:
        return self.visibility == Visibility.VISIBLE


class Question(Post):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SOLVED = "solved", _("Solved")

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="questions")
    title = models.CharField(_("title"), max_length=200)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    accepted_answer = models.OneToOneField(
        "Answer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer_count = models.PositiveIntegerField(default=0, editable=False)
    vote_score = models.PositiveIntegerField(default=0, editable=False)
    solved_too_count = models.PositiveIntegerField(default=0, editable=False)
    last_activity_at = models.DateTimeField(default=timezone.now, editable=False)
    # Bumped by every change that shows in the thread's answers: the key of
    # the answers fragment cached for anonymous readers.
    version = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    # A locked thread takes no new answers or comments.
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True, editable=False)
    # When it went to the support team's queue for having no answer (community.escalation).
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True, editable=False)
    # When its first answer was published: time to first answer without a scan of answers.
    first_answer_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["forum", "-last_activity_at"], name="question_forum_active"),
            models.Index(fields=["forum", "-created_at"], name="question_forum_newest"),
            models.Index(fields=["forum", "-vote_score"], name="question_forum_votes"),
            models.Index(fields=["forum", "status", "-created_at"], name="question_forum_status"),
            models.Index(
                fields=["forum", "-created_at"],
                condition=Q(answer_count=0),
                name="question_forum_unanswered",
            ),
            models.Index(fields=["-created_at"], name="question_newest"),
            models.Index(
                fields=["-created_at"], condition=Q(answer_count=0), name="question_unanswered"
            ),
            models.Index(fields=["author", "-created_at"], name="question_author"),
            # Answer rates and times to first answer of a period (insights).
            models.Index(
                fields=["created_at"],
                include=["forum", "visibility", "first_answer_at"],
                name="question_asked",
            ),
            # Unanswered and escalated questions, counted and listed oldest first (insights):
            # index-only, where question_unanswered has to read each row for its visibility.
            models.Index(
                fields=["created_at", "id"],
                include=["forum"],
                condition=Q(answer_count=0, visibility=Visibility.VISIBLE),
                name="question_open",
            ),
            models.Index(
                fields=["escalated_at", "id"],
                include=["forum"],
                condition=Q(
                    answer_count=0, visibility=Visibility.VISIBLE, escalated_at__isnull=False
                ),
                name="question_open_escalated",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", accepted_answer__isnull=True)
                | Q(status="solved", accepted_answer__isnull=False),
                name="question_solved_iff_accepted",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:question", args=[self.pk])


class QuestionTerm(models.Model):
    """The search index: a term a question is found by (a stem of its title, body or
    visible answers, or a pair of its title's), with its impact (search.ranking).
    Written by community.search only; derived data, made again by `search_reindex`."""

    pk = models.CompositePrimaryKey("question_id", "term")
    # The primary key's first column serves the question's terms: no index of its own.
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # A pair is two words of at most 64 letters and a space.
    term = models.CharField(max_length=129)
    impact = models.FloatField()

    class Meta:
        indexes = [
            # A term's best questions first, read without the table (an index-only scan).
            models.Index(fields=["term", "-impact", "question"], name="question_term_impact")
        ]

    def __str__(self) -> str:
        return f"{self.question_id} {self.term}"


class Answer(Post):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    is_official = models.BooleanField(
        _("official"), default=False, help_text=_("Written by the company's staff.")
    )
    vote_score = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(fields=["question", "-vote_score", "created_at"], name="answer_by_votes"),
            models.Index(fields=["author", "-created_at"], name="answer_author"),
            # Search ranks questions with an official answer higher (community.search).
            models.Index(
                fields=["question"],
                name="answer_official",
                condition=Q(is_official=True, visibility="visible"),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.question_id})"

    def get_absolute_url(self) -> str:
        return reverse("community:answer", args=[self.pk])


class Comment(Post):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["answer", "created_at"], name="comment_by_answer"),
            models.Index(fields=["author", "-created_at"], name="comment_author"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.answer_id})"


def _one_of(name: str, *fields: str) -> models.CheckConstraint:
    """Exactly one of the nullable foreign keys is set."""
    options = [Q(**{f"{f}__isnull": f != chosen for f in fields}) for chosen in fields]
    condition = options[0]
    for option in options[1:]:
        condition |= option
    return models.CheckConstraint(condition=condition, name=name)


class Vote(models.Model):
    """Kudos: one per member per post."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, null=True, related_name="+")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            _one_of("vote_one_target", "question", "answer"),
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(question__isnull=False),
                name="vote_once_per_question",
            ),
            models.UniqueConstraint(
                fields=["user", "answer"],
                condition=Q(answer__isnull=False),
                name="vote_once_per_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"kudos by {self.user_id} on {self.question_id or self.answer_id}"


class SolvedToo(models.Model):
    """ "This solved my problem too": one per member, or per anonymous session, and question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    # The accepted answer when the mark was made, so its author can be credited.
    answer = models.ForeignKey(Answer, on_delete=models.SET_NULL, null=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    # A keyed hash of an anonymous visitor's session, never the session key itself.
    session_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, session_hash="")
                | Q(user__isnull=True) & ~Q(session_hash=""),
                name="solvedtoo_member_or_session",
            ),
            models.UniqueConstraint(
                fields=["question", "user"],
                condition=Q(user__isnull=False),
                name="solvedtoo_once_per_member",
            ),
            models.UniqueConstraint(
                fields=["question", "session_hash"],
                condition=~Q(session_hash=""),
                name="solvedtoo_once_per_session",
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="solvedtoo_created")]

    def __str__(self) -> str:
        return f"solved too: question {self.question_id}"


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, null=True, related_name="+")
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            _one_of("follow_one_target", "question", "forum"),
            models.UniqueConstraint(
                fields=["user", "question"],
                condition=Q(question__isnull=False),
                name="follow_once_per_question",
            ),
            models.UniqueConstraint(
                fields=["user", "forum"],
                condition=Q(forum__isnull=False),
                name="follow_once_per_forum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.question_id or self.forum_id}"


class Revision(models.Model):
    """The text of a question or answer before an edit. Append-only."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, null=True, related_name="+")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, null=True, related_name="+")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [_one_of("revision_one_target", "question", "answer")]
        indexes = [
            models.Index(fields=["question", "-created_at"], name="revision_question"),
            models.Index(fields=["answer", "-created_at"], name="revision_answer"),
        ]

    def __str__(self) -> str:
        return (
            f"revision of {self.question_id or self.answer_id} at {self.created_at:%Y-%m-%d %H:%M}"
        )


class KudosChange(models.Model):
    """Kudos given or taken back, kept for a day (community.tasks sweeps them) so that
    the daily kudos limit (moderation.gate) counts both: cycling kudos on and off a post
    costs two of the day's allowance each time. Only who, when, and which way."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    withdrawn = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="kudoschange_user")]

    def __str__(self) -> str:
        way = "taken back" if self.withdrawn else "given"
        return f"kudos {way} by {self.user_id} at {self.created_at:%Y-%m-%d %H:%M}"
