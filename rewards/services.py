"""Points for what happens in the community, called by community.services inside the
transaction of the action that earns them.

Each award's key is derived from its cause, so a retry or a double click never
awards twice; each undo reverses exactly the entry its action wrote.
"""

from datetime import timedelta
from typing import cast

from django.db.models import Q, Sum
from django.utils import timezone

from accounts import roles
from community.models import Answer, Question, Vote
from rewards.bounties import services as bounties
from rewards.fraud import detection as fraud
from rewards.ledger import services as ledger
from rewards.models import (
    VOTE_RULES,
    EconomySettings,
    EntryKind,
    FraudHold,
    LedgerEntry,
    PointRule,
    Rule,
)

# Awards an accept earns: they stand while the answer is the accepted one.
ACCEPT_RULES: tuple[str, ...] = (Rule.ANSWER_ACCEPTED, Rule.ACCEPTED_BY_ASKER)


def _points_for(rule: Rule) -> int:
    found = PointRule.objects.filter(rule=rule, active=True).values_list("points", flat=True)
    return next(iter(found), 0)


def points_award(*, member, rule: Rule, key: str, counterpart=None, answer=None, question=None):
    """Awards `rule`'s points to `member`. Locks the member's account. Idempotent on `key`.

    Writes nothing (returns None) when the rule is off, for the member's own content, for
    staff, during the member's probation or once the daily cap on points from votes is
    reached (an award is cut to what the cap leaves). Held for fraud review when the
    member and `counterpart` look like one household or a vote ring."""
    if member is None or not member.is_active or member == counterpart:
        return None
    if roles.is_staff_member(member):
        return None
    points = _points_for(rule)
    economy = EconomySettings.load()
    now = timezone.now()
    if not points or member.date_joined > now - timedelta(days=economy.probation_days):
        return None
    account = ledger.account_for(member)
    if (found := ledger.existing(key)) is not None:
        return found
    if rule in VOTE_RULES:
        points = min(points, economy.daily_vote_cap - _vote_points_today(account))
        if points <= 0:
            return None
    question = question or (answer.question if answer else None)
    entry = ledger.entry_add(
        account=account,
        amount=points,
        kind=EntryKind.AWARD,
        rule=rule,
        key=key,
        available_at=now + timedelta(days=economy.holding_days),
        forum_id=question.forum_id if question else None,
        question=question,
        answer=answer,
    )
    if counterpart is not None and (reason := fraud.suspicion(member=member, other=counterpart)):
        FraudHold.objects.create(entry=entry, reason=reason, counterpart=counterpart)
    return entry


def _vote_points_today(account) -> int:
    """What votes really earned the member today: today's awards net of their reversals,
    so withdrawn kudos do not use up the cap (the account row is locked by the caller)."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    awarded = Q(kind=EntryKind.AWARD, rule__in=VOTE_RULES, created_at__gte=start)
    taken_back = Q(
        kind=EntryKind.REVERSAL,
        reverses__rule__in=VOTE_RULES,
        reverses__created_at__gte=start,
    )
    today = account.entries.filter(awarded | taken_back)
    return today.aggregate(total=Sum("amount"))["total"] or 0


def points_accounts_lock(*members) -> None:
    """Locks the accounts of everyone an action may credit, in pk order, before any of
    them is touched: two actions crediting the same members in a different order would
    otherwise wait on each other forever (a deadlock)."""
    ledger.accounts_for(*{m.pk: m for m in members if m is not None}.values())


def points_reverse(*, note: str = "", **filters) -> None:
    """Reverses the latest earning entry matching `filters` that is not reversed yet."""
    entry = ledger.latest_unreversed(**filters)
    if entry is not None:
        ledger.entry_reverse(entry=entry, note=note)


def points_for_vote(*, vote, post) -> None:
    points_award(
        member=post.author,
        rule=Rule.KUDOS_RECEIVED,
        key=f"kudos:{vote.pk}",
        counterpart=vote.user,
        **_cause(post),
    )


def points_for_vote_withdrawn(*, vote_id: int) -> None:
    """The vote's award, or the credit that gave it back after an overturned decision."""
    key = f"kudos:{vote_id}"
    entry = ledger.latest_unreversed(Q(key=key) | Q(restores__reverses__key=key))
    if entry is not None:
        ledger.entry_reverse(entry=entry)


def points_for_accept(*, answer, question, by) -> None:
    """The answerer's award, the asker's when the asker accepts, and an open bounty.
    Keys carry the question's version, which every accept bumps, so each accept is its
    own event."""
    event = f"{answer.pk}:{question.version}"
    points_award(
        member=answer.author,
        rule=Rule.ANSWER_ACCEPTED,
        key=f"accepted:{event}",
        counterpart=question.author,
        answer=answer,
    )
    if by.pk == question.author_id:
        points_award(
            member=by,
            rule=Rule.ACCEPTED_BY_ASKER,
            key=f"accepter:{event}",
            counterpart=answer.author,
            answer=answer,
        )
    bounties.bounty_on_accept(answer=answer, question=question)


def points_for_unaccept(*, answer) -> None:
    """Reverses exactly what the accept gave (awards and bounty), so accept/unaccept
    cycles earn nothing. Locks the answerer's and the asker's accounts first, in pk
    order, as answer_accept does: the reversals below touch both."""
    points_accounts_lock(answer.author, answer.question.author)
    for rule in (Rule.ANSWER_ACCEPTED, Rule.ACCEPTED_BY_ASKER):
        points_reverse(rule=rule, answer=answer)
    bounties.bounty_on_unaccept(answer=answer)


def points_for_solved_too(*, mark) -> None:
    """Only marks by members earn points: a visitor's mark counts as a deflection, but
    clearing cookies must not print points."""
    if mark.user_id is None or mark.answer_id is None:
        return
    answer = mark.answer
    points_award(
        member=answer.author,
        rule=Rule.SOLVED_TOO_RECEIVED,
        key=f"solved-too:{mark.pk}",
        counterpart=mark.user,
        answer=answer,
    )


def points_for_first_answer(*, answer, question) -> None:
    """For the first answer to someone else's question within the hour."""
    if answer.created_at - question.created_at > timedelta(hours=1):
        return
    points_award(
        member=answer.author,
        rule=Rule.FIRST_ANSWER_FAST,
        key=f"first-answer:{question.pk}",
        counterpart=question.author,
        answer=answer,
    )


def _cause(post) -> dict:
    return {"answer": post} if isinstance(post, Answer) else {"question": post}


def points_reverse_for_post(*, post, note: str) -> list[LedgerEntry]:
    """Takes back every point the post earned its author (spam or abuse confirmed), and a
    bounty an answer won, which goes back to its question. Comments earn nothing. Locks
    the author's account, and for an answer the asker's (the bounty's), first and in pk
    order, as points_for_unaccept does. Returns the reversals written (their amounts are
    the points taken back, negative)."""
    if post.author_id is None or not isinstance(post, Question | Answer):
        return []
    if isinstance(post, Answer):
        points_accounts_lock(post.author, post.question.author)
        caused = Q(answer=post)
    else:
        points_accounts_lock(post.author)
        # An asker's award for accepting carries the accepted answer too.
        caused = Q(question=post) & (Q(answer__isnull=True) | Q(rule=Rule.ACCEPTED_BY_ASKER))
    earned = LedgerEntry.objects.filter(
        caused, account__user_id=post.author_id, kind=EntryKind.AWARD, reversed_by__isnull=True
    )
    reversals = [ledger.entry_reverse(entry=entry, note=note) for entry in earned.order_by("pk")]
    if isinstance(post, Answer) and (bounty := bounties.bounty_on_unaccept(answer=post)):
        reversals.append(bounty)
    return reversals


def points_restore_overturned(*, reversal_ids: list[int], note: str) -> list[LedgerEntry]:
    """Gives back what the reversals took, once the decision that wrote them is overturned
    (moderation.appeals): each earning entry is credited again
    (rewards.ledger.services.entry_restore) under the key "abuse-overturned:<reversal id>",
    so deciding twice or a retry credits once. Points whose cause is gone meanwhile stay
    reversed: an accept's points (the answerer's, the asker's, a bounty) once the answer is
    no longer the accepted one, kudos withdrawn, a bounty won by another answer or returned
    to the asker since.
    Locks the questions, then the accounts credited and the bounties' askers' in pk order,
    then the bounties. Returns the entries credited."""
    reversals = list(
        LedgerEntry.objects.filter(pk__in=reversal_ids, kind=EntryKind.REVERSAL)
        .select_related("reverses__bounty")
        .order_by("pk")
    )
    # A reversal always reverses an entry.
    earned = [cast(LedgerEntry, reversal.reverses) for reversal in reversals]
    accepted: dict[int | None, int | None] = dict(
        Question.objects.select_for_update(no_key=True)
        .filter(pk__in={entry.question_id for entry in earned})
        .order_by("pk")
        .values_list("pk", "accepted_answer_id")
    )
    ledger.accounts_lock(
        *(entry.account_id for entry in earned),
        *(entry.bounty.account_id for entry in earned if entry.bounty),
    )
    withdrawn = _votes_withdrawn(earned)
    credited = []
    for reversal, entry in zip(reversals, earned, strict=True):
        key = f"abuse-overturned:{reversal.pk}"
        if entry.key in withdrawn or (
            (entry.kind == EntryKind.BOUNTY_WON or entry.rule in ACCEPT_RULES)
            and accepted.get(entry.question_id) != entry.answer_id
        ):
            continue
        if entry.kind == EntryKind.BOUNTY_WON:
            restored = bounties.bounty_win_restore(reversal=reversal, key=key, note=note)
        else:
            restored = ledger.entry_restore(reversal=reversal, key=key, note=note)
        if restored is not None:
            credited.append(restored)
    return credited


def _votes_withdrawn(entries) -> set[str]:
    """The keys among `entries` of kudos whose vote was withdrawn since ("kudos:<vote id>")."""
    votes = {e.key: int(e.key.split(":")[1]) for e in entries if e.key.startswith("kudos:")}
    standing = set(Vote.objects.filter(pk__in=votes.values()).values_list("pk", flat=True))
    return {key for key, vote_id in votes.items() if vote_id not in standing}
