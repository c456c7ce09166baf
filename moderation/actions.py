"""What moderators do to posts, threads and members, one function per action.

Each one: the actor must be a moderator; a case passed along is claimed first, so a case
another moderator holds, or one closed meanwhile, is a Conflict and nothing changes;
the change and its audit row (state before and after, through audit.action_record,
which also tells the member) are one transaction. A decision about content closes its
case; a sanction does not. Lock order: the case, the post, its question, points accounts.
"""

import hashlib
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from community.models import Answer, Comment, Question, Visibility
from community.visibility import (
    post_moderator_edit,
    post_revisions_purge,
    post_visibility_set,
    question_lock,
    question_move,
)
from core.text import clean_text
from moderation import cases, sanctions
from moderation.audit import services as audit
from moderation.cases import require_moderator
from moderation.models import ActionKind, Case, CaseSource, ModerationAction, target_fields
from moderation.selectors import target_kind
from rewards.services import points_accounts_lock, points_reverse_for_post

REASON_MAX = 300  # it is shown to the author as the post's moderation note
SUSPEND_DAYS_MAX = 3650


class Sanction:
    WARN = "warn"
    SUSPEND = "suspend"
    BAN = "ban"


def _reason(reason: str, *, required: bool = True) -> str:
    reason = " ".join(clean_text(reason or "").split())
    if required and not reason:
        raise ValidationError({"reason": _("Give a reason: the member will read it.")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": REASON_MAX}})
    return reason


def _claim(case: Case | None, by, target=None) -> Case | None:
    require_moderator(by)
    if case is None:
        return None
    if target is not None and getattr(case, f"{target_kind(target)}_id") != target.pk:
        raise ValidationError(_("This case is about something else."))
    return cases.case_claim(case=case, moderator=by)


def _claim_post(case: Case | None, by, post) -> Case | None:
    require_moderator(by)
    if not isinstance(post, Question | Answer | Comment):
        raise ValidationError(_("Only posts can be hidden, edited or removed."))
    return _claim(case, by, post)


def _close(case: Case | None) -> None:
    if case is not None:
        cases.case_close(case=case)


def _locked(post):
    return type(post).objects.select_for_update(no_key=True).get(pk=post.pk)


def _record(*, by, kind: str, post, case, reason: str, before: dict, after: dict):
    """The member the action is about is the post's author (or the profile's owner)."""
    return audit.action_record(
        actor=by, kind=kind, target=post, case=case, reason=reason, before=before, after=after
    )


def _auto_hidden(case: Case | None) -> bool:
    return case is not None and case.actions.filter(kind=ActionKind.AUTO_HIDE).exists()


def _unhide(post, case: Case | None) -> tuple[dict, dict]:
    """Shows again a post that the case's flags hid automatically (the flags were
    unfounded, or what they were about was edited out)."""
    if post.visibility != Visibility.HIDDEN or not _auto_hidden(case):
        return {}, {}
    post_visibility_set(post=post, visibility=Visibility.VISIBLE, note="")
    return {"visibility": Visibility.HIDDEN}, {"visibility": Visibility.VISIBLE}


def _visibility_change(*, post, by, case, reason, visibility, kind, allowed_from=None):
    case = _claim_post(case, by, post)
    post = _locked(post)
    before = post.visibility
    if allowed_from is not None and before not in allowed_from:
        raise ValidationError(
            _("Not possible: the post is %(state)s.") % {"state": post.get_visibility_display()}
        )
    # On a visible post a note reads "Edited by a moderator": approving or restoring
    # clears it; the reason stays in the audit row.
    note = "" if visibility == Visibility.VISIBLE else reason
    post_visibility_set(post=post, visibility=visibility, note=note)
    _record(
        by=by,
        kind=kind,
        post=post,
        case=case,
        reason=reason,
        before={"visibility": before},
        after={"visibility": visibility},
    )
    _close(case)
    return post


@transaction.atomic
def case_dismiss(*, case: Case, by, reason: str = "") -> Case:
    """The flags were unfounded: closes the case, showing again a post they hid."""
    reason = _reason(reason, required=False)
    case = _claim(case, by)
    if case.source != CaseSource.FLAGS:
        raise ValidationError(_("Only flags can be dismissed: approve or remove the post."))
    target = case.target
    before, after = {}, {}
    if not isinstance(target, User):
        target = _locked(target)
        before, after = _unhide(target, case)
    _record(
        by=by,
        kind=ActionKind.DISMISS,
        post=target,
        case=case,
        reason=reason,
        before=before,
        after=after,
    )
    cases.case_close(case=case)
    return case


@transaction.atomic
def post_approve(*, post, by, reason: str = "", case: Case | None = None):
    """A post held before publishing goes online."""
    return _visibility_change(
        post=post,
        by=by,
        case=case,
        reason=_reason(reason, required=False),
        visibility=Visibility.VISIBLE,
        kind=ActionKind.APPROVE,
        allowed_from=(Visibility.PENDING,),
    )


@transaction.atomic
def post_hide(*, post, by, reason: str, case: Case | None = None):
    return _visibility_change(
        post=post,
        by=by,
        case=case,
        reason=_reason(reason),
        visibility=Visibility.HIDDEN,
        kind=ActionKind.HIDE,
        allowed_from=(Visibility.VISIBLE, Visibility.PENDING, Visibility.HIDDEN),
    )


@transaction.atomic
def post_restore(*, post, by, reason: str = "", case: Case | None = None):
    return _visibility_change(
        post=post,
        by=by,
        case=case,
        reason=_reason(reason, required=False),
        visibility=Visibility.VISIBLE,
        kind=ActionKind.RESTORE,
        allowed_from=(Visibility.HIDDEN, Visibility.REMOVED),
    )


@transaction.atomic
def post_delete(*, post, by, reason: str, case: Case | None = None):
    """Removes the post (it stays in the database, shown to its author with the reason)."""
    return _visibility_change(
        post=post,
        by=by,
        case=case,
        reason=_reason(reason),
        visibility=Visibility.REMOVED,
        kind=ActionKind.DELETE,
        allowed_from=(Visibility.VISIBLE, Visibility.PENDING, Visibility.HIDDEN),
    )


def _text(post) -> dict:
    text = {"body": post.body}
    if isinstance(post, Question):
        text["title"] = post.title
    return text


@transaction.atomic
def post_edit(*, post, by, body: str, reason: str, title: str | None = None, case=None):
    """Edits as a moderator; the reason is shown to the author. A post the case's flags
    hid goes online again."""
    reason = _reason(reason)
    case = _claim_post(case, by, post)
    post = _locked(post)
    before = _text(post)
    hidden, shown = _unhide(post, case)  # first: showing the post clears its note
    post_moderator_edit(post=post, by=by, body=body, title=title, note=reason)
    after = _text(post)
    _record(
        by=by,
        kind=ActionKind.EDIT,
        post=post,
        case=case,
        reason=reason,
        before=before | hidden,
        after=after | shown,
    )
    _close(case)
    return post


def _fingerprint(post) -> dict:
    """Stands in for the text in the audit log: the exposed data must not be kept."""
    text = "\n".join(_text(post).values())
    return {"sha256": hashlib.sha256(text.encode()).hexdigest(), "length": len(text)}


@transaction.atomic
def post_redact(*, post, by, body: str, reason: str, title: str | None = None, case=None):
    """Removes exposed personal data: edits the post and purges its edit history, which
    holds the data too. The audit row keeps only a fingerprint of the texts."""
    reason = _reason(reason)
    case = _claim_post(case, by, post)
    post = _locked(post)
    before = _fingerprint(post)
    hidden, shown = _unhide(post, case)  # first: showing the post clears its note
    post_moderator_edit(post=post, by=by, body=body, title=title, note=reason)
    purged = post_revisions_purge(post=post)
    # Earlier moderators' edits of this post keep its text in the audit log: the one
    # permitted update of audit rows besides erasure (moderation.gdpr) takes it out.
    ModerationAction.objects.filter(kind=ActionKind.EDIT, **target_fields(post)).update(
        before={"redacted": True}, after={"redacted": True}
    )
    _record(
        by=by,
        kind=ActionKind.REDACT,
        post=post,
        case=case,
        reason=reason,
        before=before | hidden,
        after=_fingerprint(post) | shown | {"revisions_purged": purged},
    )
    _close(case)
    return post


def _thread_action(*, question, by, case, reason, kind, change, before, after):
    reason = _reason(reason, required=False)
    case = _claim(case, by, question)
    question = _locked(question)
    was = before(question)
    if was == after:
        raise ValidationError(_("Nothing to change."))
    change(question)
    _record(
        by=by,
        kind=kind,
        post=question,
        case=case,
        reason=reason,
        before=was,
        after=after,
    )
    _close(case)
    return question


def _thread_lock_set(*, question, by, locked: bool, reason: str, case: Case | None):
    return _thread_action(
        question=question,
        by=by,
        case=case,
        reason=reason,
        kind=ActionKind.LOCK if locked else ActionKind.UNLOCK,
        change=lambda q: question_lock(question=q, locked=locked),
        before=lambda q: {"locked": q.locked_at is not None},
        after={"locked": locked},
    )


@transaction.atomic
def thread_lock(*, question, by, reason: str = "", case: Case | None = None):
    """No new answers or comments."""
    return _thread_lock_set(question=question, by=by, locked=True, reason=reason, case=case)


@transaction.atomic
def thread_unlock(*, question, by, reason: str = "", case: Case | None = None):
    return _thread_lock_set(question=question, by=by, locked=False, reason=reason, case=case)


@transaction.atomic
def thread_move(*, question, by, forum, reason: str = "", case: Case | None = None):
    return _thread_action(
        question=question,
        by=by,
        case=case,
        reason=reason,
        kind=ActionKind.MOVE,
        change=lambda q: question_move(question=q, forum=forum),
        before=lambda q: {"forum": q.forum.slug},
        after={"forum": forum.slug},
    )


@transaction.atomic
def abuse_confirm(
    *,
    post,
    by,
    reason: str,
    case: Case | None = None,
    purge_member: bool = False,
    sanction: str = "",
    days: int | None = None,
):
    """Spam or abuse: removes the post and takes back the points it earned (the audit row
    lists the reversals: overturning the decision on appeal credits them again); with
    `purge_member`, removes all the author's posts at once and takes back their points;
    `sanction` (warn, suspend for `days`, ban) the author too. Posts are removed (which
    locks their questions) before any points account is locked, as community.services
    lock a question before accounts."""
    reason = _reason(reason)
    case = _claim_post(case, by, post)
    post = _locked(post)
    member = post.author
    before = post.visibility
    others = _posts_of(member, besides=post) if member is not None and purge_member else []
    for removed in (post, *others):
        if removed.visibility != Visibility.REMOVED:
            post_visibility_set(post=removed, visibility=Visibility.REMOVED, note=reason)
    _accounts_lock([post, *others])
    # The reversals are listed so that overturning the decision gives back exactly them.
    reversals = points_reverse_for_post(post=post, note=reason)
    _record(
        by=by,
        kind=ActionKind.CONFIRM_ABUSE,
        post=post,
        case=case,
        reason=reason,
        before={"visibility": before},
        after={
            "visibility": Visibility.REMOVED,
            "points_reversed": _taken(reversals),
            "reversals": [reversal.pk for reversal in reversals],
        },
    )
    if member is not None and purge_member:
        _purged(member=member, posts=others, by=by, reason=reason, case=case)
    if member is not None and sanction:
        _sanction(member=member, by=by, kind=sanction, reason=reason, days=days, case=case)
    _close(case)
    return post


def _taken(reversals) -> int:
    """The points the reversals took back."""
    return -sum(reversal.amount for reversal in reversals)


def _posts_of(member, *, besides) -> list:
    """The member's posts not removed yet, other than `besides`, locked: comments and
    answers before questions (a post before its question)."""
    posts = []
    for model in (Comment, Answer, Question):
        found = model.objects.select_for_update(no_key=True).filter(author=member)
        found = found.exclude(visibility=Visibility.REMOVED).order_by("pk")
        posts += [p for p in found if not (type(p) is type(besides) and p.pk == besides.pk)]
    return posts


def _accounts_lock(posts) -> None:
    """Locks, in pk order, every account the reversals will touch: the authors', and
    the askers' of answers among `posts` (a bounty an answer won goes back)."""
    answers = [p.pk for p in posts if isinstance(p, Answer)]
    askers = Question.objects.filter(answers__pk__in=answers).values("author")
    authors = {p.author_id for p in posts}
    points_accounts_lock(*User.objects.filter(Q(pk__in=authors) | Q(pk__in=askers)))


def _purged(*, member, posts: list, by, reason: str, case: Case | None) -> None:
    """After `posts`, all the rest of `member`'s, were removed: takes back their points,
    closes the cases about them, and writes one audit row with the counts."""
    removed = {"questions": 0, "answers": 0, "comments": 0}
    points = 0
    for post in posts:
        points += _taken(points_reverse_for_post(post=post, note=reason))
        removed[type(post).__name__.lower() + "s"] += 1
    cases.cases_close_about_posts_of(member)
    audit.action_record(
        actor=by,
        kind=ActionKind.PURGE,
        target=member,
        member=member,
        case=case,
        reason=reason,
        before={},
        after=removed | {"points_reversed": points},
    )


def _sanction(*, member, by, kind: str, reason: str, days: int | None, case: Case | None):
    if kind == Sanction.WARN:
        return sanctions.member_warn(member=member, by=by, reason=reason, case=case)
    if kind == Sanction.BAN:
        return sanctions.member_ban(member=member, by=by, reason=reason, case=case)
    if kind == Sanction.SUSPEND:
        if days is None or not 1 <= days <= SUSPEND_DAYS_MAX:
            raise ValidationError(
                {"days": _("Between 1 and %(n)d days.") % {"n": SUSPEND_DAYS_MAX}}
            )
        until = timezone.now() + timedelta(days=days)
        return sanctions.member_suspend(member=member, by=by, until=until, reason=reason, case=case)
    raise ValidationError({"sanction": _("Choose warn, suspend or ban.")})


@transaction.atomic
def member_sanction(
    *, member, by, kind: str, reason: str, days: int | None = None, case: Case | None = None
):
    """Warns, suspends for `days` or bans the member (moderation.sanctions writes the audit
    row). An open case is claimed first; a closed one is only referred to."""
    reason = _reason(reason)
    require_moderator(by)
    if case is not None and case.state == Case.State.OPEN:
        case = cases.case_claim(case=case, moderator=by)
    return _sanction(member=member, by=by, kind=kind, reason=reason, days=days, case=case)
