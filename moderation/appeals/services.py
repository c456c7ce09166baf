"""Appeals: a member asks, once per decision, that another moderator look at it again.
An appeal opens a case in the review queue; the moderator who decides it upholds the
decision or overturns it, which undoes what the decision did."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from community import visibility
from community.models import Visibility
from core.errors import Conflict
from core.text import clean_text
from moderation import cases, sanctions
from moderation.audit import services as audit
from moderation.models import (
    ActionKind,
    Appeal,
    Case,
    CaseSource,
    ModerationAction,
    ModerationSettings,
)
from rewards import services as rewards

TEXT_MAX = 2000


def _locked_post(action: ModerationAction):
    """The question, answer or comment the action is about, locked; None for a profile."""
    post = action.question or action.answer or action.comment
    return post and type(post).objects.select_for_update(no_key=True).get(pk=post.pk)


def _post_restore(action: ModerationAction, *, by, note: str) -> tuple[dict, dict]:
    post = _locked_post(action)
    if post is None or post.visibility == Visibility.VISIBLE:
        return {}, {}
    before = {"visibility": post.visibility}
    visibility.post_visibility_set(post=post, visibility=Visibility.VISIBLE, note="")
    return before, {"visibility": Visibility.VISIBLE}


def _abuse_undo(action: ModerationAction, *, by, note: str) -> tuple[dict, dict]:
    """Shows the post again and credits back, through the ledger, the points the decision
    reversed (the reversals its audit row lists); points whose cause has gone since stay
    reversed (rewards.services.points_restore_overturned). A purge of the member's other
    posts is its own audit row and not undone here: those posts and points stay removed."""
    before, after = _post_restore(action, by=by, note=note)
    taken = action.after.get("points_reversed", 0)
    credited = rewards.points_restore_overturned(
        reversal_ids=action.after.get("reversals", []), note=note
    )
    restored = sum(entry.amount for entry in credited)
    if taken or restored:
        after = after | {"points_restored": restored}
    if kept := taken - restored:
        after["points_not_restored"] = kept
    return before, after


def _edit_undo(action: ModerationAction, *, by, note: str) -> tuple[dict, dict]:
    """Puts back the text the edit replaced (`before` of the edit: body, and a question's
    title); the moderator's edit stays in the post's history."""
    post = _locked_post(action)
    if "body" not in action.before:
        return {}, {}
    before = {"body": post.body, **({"title": post.title} if "title" in action.before else {})}
    visibility.post_moderator_edit(
        post=post, by=by, body=action.before["body"], title=action.before.get("title"), note=note
    )
    return before, {key: action.before[key] for key in before}


def _lock_undo(action: ModerationAction, *, by, note: str) -> tuple[dict, dict]:
    question = _locked_post(action)
    if question.locked_at is None:
        return {}, {}
    visibility.question_lock(question=question, locked=False)
    return {"locked": True}, {"locked": False}


def _standing_undo(action: ModerationAction, *, by, note: str) -> tuple[dict, dict]:
    """A ban or suspension is undone only while it is the one this action set: a later
    decision (a new ban, a longer suspension) stands."""
    standing = sanctions.standing_locked(action.member)
    before = sanctions.standing_state(standing)
    if action.kind == ActionKind.WARN:
        standing.warnings = max(standing.warnings - 1, 0)
    for kind, field in ((ActionKind.BAN, "banned_at"), (ActionKind.SUSPEND, "suspended_until")):
        if action.kind == kind and before[field] == action.after.get(field):
            setattr(standing, field, parse_datetime(action.before.get(field) or ""))
    standing.save()
    return before, sanctions.standing_state(standing)


# What overturning each appealable kind undoes. Removing personal data (redact) is an
# obligation, not a judgement: it is not appealable, nor are the moderators' corrections.
UNDO: dict[str, Callable[..., tuple[dict, dict]]] = {
    ActionKind.HIDE: _post_restore,
    ActionKind.AUTO_HIDE: _post_restore,
    ActionKind.DELETE: _post_restore,
    ActionKind.CONFIRM_ABUSE: _abuse_undo,
    ActionKind.EDIT: _edit_undo,
    ActionKind.LOCK: _lock_undo,
    ActionKind.WARN: _standing_undo,
    ActionKind.SUSPEND: _standing_undo,
    ActionKind.BAN: _standing_undo,
}


def appeal_deadline(action: ModerationAction, settings: ModerationSettings) -> datetime:
    return action.created_at + timedelta(days=settings.appeal_days)


def can_appeal(action: ModerationAction, settings: ModerationSettings) -> bool:
    """For the member's pages: load `action` with select_related("appeal")."""
    return (
        action.kind in UNDO
        and not hasattr(action, "appeal")
        and timezone.now() <= appeal_deadline(action, settings)
    )


@transaction.atomic
def appeal_file(*, action: ModerationAction, by, text: str) -> Appeal:
    """Once per action: the Appeal's one-to-one key backs this against a double submit."""
    if action.member_id != by.pk:
        raise PermissionDenied(_("Only the member a decision is about can appeal it."))
    if action.kind not in UNDO:
        raise ValidationError(_("This decision cannot be appealed."))
    if timezone.now() > appeal_deadline(action, ModerationSettings.load()):
        raise ValidationError(_("The time to appeal this decision is over."))
    text = clean_text(text).strip()
    if not text:
        raise ValidationError({"text": _("Tell the moderators why the decision should change.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("Keep it under %(n)d characters.") % {"n": TEXT_MAX}})
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(action=action, appellant=by, text=text)
    except IntegrityError:
        raise Conflict(_("You have appealed this decision already.")) from None
    cases.case_open(
        target=action.target or by,
        source=CaseSource.APPEAL,
        note=Truncator(text).chars(300),
        priority=cases.Priority.APPEAL,
        appeal=appeal,
    )
    return appeal


def require_appeal_decider(*, appeal: Appeal, user) -> None:
    """A moderator other than the one who acted, and not the appellant. Claiming the
    appeal's case checks the first too (moderation.cases.case_claim)."""
    cases.require_moderator(user)
    if appeal.action.actor_id == user.pk:
        raise PermissionDenied(_("You made this decision: another moderator decides the appeal."))
    if appeal.appellant_id == user.pk:
        raise PermissionDenied(_("This appeal is yours: another moderator decides it."))


@transaction.atomic
def appeal_decide(*, appeal: Appeal, by, overturn: bool, note: str) -> Appeal:
    """Locks the appeal, then claims its case (a Conflict if another moderator holds it or
    it is closed). Overturning undoes the action (UNDO); either way an audit row tells the
    member, and the case is closed."""
    appeal = Appeal.objects.select_for_update().select_related("action").get(pk=appeal.pk)
    require_appeal_decider(appeal=appeal, user=by)
    if appeal.state != Appeal.State.OPEN:
        raise Conflict(_("This appeal is decided already."))
    note = clean_text(note).strip()
    if not note:
        raise ValidationError({"note": _("Tell the member why.")})
    case = Case.objects.filter(appeal=appeal).first()
    if case is not None:
        case = cases.case_claim(case=case, moderator=by)
    action = appeal.action
    before, after = UNDO[action.kind](action, by=by, note=note) if overturn else ({}, {})
    appeal.state = Appeal.State.OVERTURNED if overturn else Appeal.State.UPHELD
    appeal.decided_by, appeal.decided_at, appeal.decision_note = by, timezone.now(), note[:500]
    appeal.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit.action_record(
        actor=by,
        kind=ActionKind.APPEAL_OVERTURNED if overturn else ActionKind.APPEAL_UPHELD,
        target=action.target,
        member=action.member,
        case=case,
        reason=appeal.decision_note,
        before=before,
        after=after,
    )
    if case is not None:
        cases.case_close(case=case)
    return appeal
