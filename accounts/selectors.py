"""Reads for the member pages. The profile's counts come in the same query as the member."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from accounts import roles
from accounts.models import User, Visibility
from community.models import Answer, Question
from community.models import Visibility as PostVisibility
from moderation.models import MemberStanding

# A profile lists and counts only what everyone can see: visible posts (answers to
# visible questions).
_VISIBLE_QUESTIONS = {"visibility": PostVisibility.VISIBLE}
_VISIBLE_ANSWERS = {
    "visibility": PostVisibility.VISIBLE,
    "question__visibility": PostVisibility.VISIBLE,
}


def _per_member(queryset: QuerySet, aggregate, *, by: str = "author") -> Coalesce:
    """A scalar subquery: `aggregate` over the rows of `queryset` whose `by` is the outer member."""
    rows = (
        queryset.filter(**{by: OuterRef("pk")})
        .order_by()
        .values(by)
        .annotate(value=aggregate)
        .values("value")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def member_profile(*, pk: int) -> User:
    """An active member with question_count, answer_count, accepted_count and
    kudos_received annotated (one query). Raises User.DoesNotExist for unknown or
    inactive members."""
    questions = Question.objects.filter(**_VISIBLE_QUESTIONS)
    answers = Answer.objects.filter(**_VISIBLE_ANSWERS)
    return (
        User.objects.filter(is_active=True)
        .annotate(
            question_count=_per_member(questions, Count("pk")),
            answer_count=_per_member(answers, Count("pk")),
            accepted_count=_per_member(questions, Count("pk"), by="accepted_answer__author"),
            kudos_received=_per_member(questions, Sum("vote_score"))
            + _per_member(answers, Sum("vote_score")),
        )
        .get(pk=pk)
    )


PROFILE_FIELDS = ("bio", "location", "avatar")


def profile_visible_fields(*, member: User, viewer) -> dict[str, bool]:
    """Which optional profile fields `viewer` (maybe anonymous) may see. The owner sees all;
    the display name is always public and the email address is never shown."""
    if viewer.is_authenticated and viewer.pk == member.pk:
        return dict.fromkeys(PROFILE_FIELDS, True)
    audience = _audience(viewer)
    return {name: getattr(member, f"{name}_visibility") in audience for name in PROFILE_FIELDS}


def _audience(viewer) -> set[str]:
    return {Visibility.PUBLIC} | ({Visibility.MEMBERS} if viewer.is_authenticated else set())


def listed_members(*, viewer) -> QuerySet[User]:
    """The members `viewer` (maybe anonymous) may find in member lists (the directory, who
    earned a badge): those whose listing_visibility admits the viewer, never a member who
    chose "only you" (not even for themselves), nor an inactive (erasure pending or
    deactivated), suspended or banned one, nor one without a display name. Erased
    members have no row left. Every list of members filters through this, so the rule
    lives here only."""
    sanctioned = MemberStanding.objects.filter(user=OuterRef("pk")).filter(
        Q(banned_at__isnull=False) | Q(suspended_until__gt=timezone.now())
    )
    return User.objects.filter(
        is_active=True, listing_visibility__in=_audience(viewer), display_name__gt=""
    ).exclude(Exists(sanctioned))


def member_directory(*, viewer, q: str = "") -> QuerySet[User]:
    """Listed members by display name, those whose name contains `q` (any case), with
    the points account the rank badge reads (no query per row)."""
    members = listed_members(viewer=viewer).select_related("points_account")
    if q:
        members = members.filter(display_name__icontains=q)
    return members.only(
        "pk",
        "display_name",
        "date_joined",
        "avatar",
        *(f"{name}_visibility" for name in PROFILE_FIELDS),  # profile_visible_fields
        "points_account__lifetime_points",
    ).order_by(Lower("display_name"), "pk")


def member_role_labels(*, user: User) -> list[str]:
    """The display names of the staff roles the member has, in a fixed order."""
    names = set(user.groups.filter(name__in=roles.ALL).values_list("name", flat=True))
    return [str(roles.LABELS[name]) for name in roles.ALL if name in names]


def member_questions(*, user: User) -> QuerySet:
    return (
        Question.objects.filter(author=user, **_VISIBLE_QUESTIONS)
        .only("pk", "title", "status", "answer_count", "vote_score", "created_at", "author_id")
        .order_by("-created_at", "-pk")
    )


def member_answers(*, user: User) -> QuerySet:
    return (
        Answer.objects.filter(author=user, **_VISIBLE_ANSWERS)
        .select_related("question")
        .only(
            "pk",
            "vote_score",
            "is_official",
            "created_at",
            "author_id",
            "question__id",
            "question__title",
            "question__accepted_answer_id",
        )
        .order_by("-created_at", "-pk")
    )
