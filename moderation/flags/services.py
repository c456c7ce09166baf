"""Members flag posts and profiles; flags gather in a case of the review queue. A
personal data flag hides the post at once, and so do flags from trusted members once
their weight adds up (ModerationSettings.auto_hide_weight)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from community.models import Visibility
from community.visibility import post_visibility_set
from core.errors import Conflict
from core.text import clean_text
from moderation import cases, gate, trust
from moderation.audit import services as audit
from moderation.models import (
    ActionKind,
    Case,
    CaseSource,
    Flag,
    FlagReason,
    ModerationSettings,
    TrustLevel,
    target_fields,
)
from webhooks import events as webhooks

TEXT_MAX = 500


def owner_id(target) -> int | None:
    """Whose post or profile it is."""
    return target.pk if isinstance(target, User) else target.author_id


def _is_public(target) -> bool:
    if isinstance(target, User):
        return target.is_active
    return target.visibility == Visibility.VISIBLE


def _counts_as_trusted(user) -> bool:
    """Staff count as trusted (moderation.trust)."""
    return trust.trust_level(user) >= TrustLevel.TRUSTED


def _weight(flagger, settings: ModerationSettings) -> int:
    """Staff flags weigh as much as it takes to hide a post."""
    if roles.is_staff_member(flagger):
        return settings.auto_hide_weight
    return trust.rule_for(flagger).flag_weight


def _clean(*, flagger, target, reason: str, text: str) -> str:
    if not flagger.is_authenticated:
        raise PermissionDenied(_("Log in to flag."))
    text = clean_text(text or "").strip()
    errors = {}
    if reason not in FlagReason.values:
        errors["reason"] = _("Choose a reason.")
    elif reason == FlagReason.OTHER and not text:
        errors["text"] = _("Tell the moderators what is wrong.")
    if len(text) > TEXT_MAX:
        errors["text"] = _("At most %(n)d characters.") % {"n": TEXT_MAX}
    if errors:
        raise ValidationError(errors)
    if not _is_public(target):
        raise type(target).DoesNotExist
    if owner_id(target) == flagger.pk:
        raise PermissionDenied(_("You cannot flag your own post or profile."))
    return text


@transaction.atomic
def flag_create(*, flagger, target, reason: str, text: str = "") -> Flag:
    """One flag per member and target (a second one is a Conflict). Opens or joins the
    target's open case of flags; may hide the post at once (see the module)."""
    text = _clean(flagger=flagger, target=target, reason=reason, text=text)
    gate.check_can_flag(flagger)
    fields = target_fields(target)
    if Flag.objects.filter(flagger=flagger, **fields).exists():
        raise Conflict(_("You have flagged this already."))
    settings = ModerationSettings.load()
    weight = _weight(flagger, settings)
    personal = reason == FlagReason.PERSONAL_DATA
    case = cases.case_open(
        target=target,
        source=CaseSource.FLAGS,
        weight=weight,
        priority=cases.Priority.PERSONAL_DATA if personal else cases.Priority.NORMAL,
    )
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                flagger=flagger, reason=reason, text=text, weight=weight, case=case, **fields
            )
    except IntegrityError:  # the same member's flag in a parallel request
        raise Conflict(_("You have flagged this already.")) from None
    if personal:
        _auto_hide(case=case, target=target, reason=str(FlagReason(reason).label))
    elif _counts_as_trusted(flagger) and _trusted_weight(case) >= settings.auto_hide_weight:
        _auto_hide(case=case, target=target, reason=_("Flagged by trusted members."))
    webhooks.flag_raised(flag=flag)
    return flag


def _trusted_weight(case: Case) -> int:
    """The weight of the case's flags from trusted members and staff, as they are now.
    A handful of flags: the case is hidden long before there are many."""
    flags = case.flags.select_related("flagger")
    return sum(f.weight for f in flags if _counts_as_trusted(f.flagger))


def _auto_hide(*, case: Case, target, reason: str) -> None:
    """Moves the case up the queue, and hides a visible post pending review, telling its
    author. A profile cannot be hidden: its case only moves up."""
    cases.case_open(target=target, source=CaseSource.FLAGS, priority=cases.Priority.TRUSTED_FLAGS)
    if isinstance(target, User):
        return
    post = type(target).objects.select_for_update(no_key=True).get(pk=target.pk)
    if post.visibility != Visibility.VISIBLE:
        return
    note = _("Hidden until a moderator has looked at it.")
    post_visibility_set(post=post, visibility=Visibility.HIDDEN, note=note)
    audit.action_record(
        actor=None,
        kind=ActionKind.AUTO_HIDE,
        target=post,
        member=post.author,
        case=case,
        reason=reason,
        before={"visibility": Visibility.VISIBLE},
        after={"visibility": Visibility.HIDDEN},
    )
