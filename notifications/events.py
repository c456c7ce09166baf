"""What the community tells members about, called by community.services in the
transaction of the change. Each writes notification rows (notifications.services.notify);
email goes out after commit."""

from community.models import Answer, Comment, Question
from notifications import mentions
from notifications.models import Kind
from notifications.services import notify
from rewards.ledger import services as ledger
from rewards.models import PointsAccount, Rule, Settlement


def _thread_visible(*posts) -> bool:
    return all(post.is_visible for post in posts)


def post_published(post) -> None:
    """A question, answer or comment became public (created, or approved by a
    moderator): the asker, the answer's author, mentioned members and forum followers
    hear of it. Idempotent: keys are derived from the post."""
    if isinstance(post, Question):
        if post.is_visible:
            _fan_out_on_commit(post.pk)
            _mentions(post, question=post, told=None)
    elif isinstance(post, Answer):
        question = post.question
        if _thread_visible(post, question):
            notify(
                recipient=question.author,
                kind=Kind.ANSWER,
                key=f"answer:{post.pk}",
                actor=post.author,
                question=question,
                answer=post,
            )
            _mentions(post, question=question, answer=post, told=question.author)
    elif isinstance(post, Comment):
        answer = post.answer
        question = answer.question
        if _thread_visible(post, answer, question):
            notify(
                recipient=answer.author,
                kind=Kind.COMMENT,
                key=f"comment:{post.pk}",
                actor=post.author,
                question=question,
                answer=answer,
                comment=post,
            )
            _mentions(post, question=question, answer=answer, comment=post, told=answer.author)


def _mentions(post, *, told, **about) -> None:
    """Mentioned members, except the one already told about this post."""
    kind = type(post).__name__.lower()
    for member in mentions.mentioned_members(post.body_html):
        if told is None or member.pk != told.pk:
            notify(
                recipient=member,
                kind=Kind.MENTION,
                key=f"mention:{kind}:{post.pk}:{member.pk}",
                actor=post.author,
                **about,
            )


def _fan_out_on_commit(question_id: int) -> None:
    from notifications import tasks  # the tasks import this module's services

    tasks.enqueue_on_commit(tasks.forum_fan_out, [question_id])


def answer_accepted(*, answer, by) -> None:
    """The answer's author hears that it was accepted, with the points it earned."""
    question = answer.question
    if not _thread_visible(answer, question):
        return
    award = ledger.latest_unreversed(rule=Rule.ANSWER_ACCEPTED, answer=answer)
    notify(
        recipient=answer.author,
        kind=Kind.ACCEPTED,
        key=f"accepted:{answer.pk}",
        actor=by,
        question=question,
        answer=answer,
        data={"points": award.amount if award else 0},
    )


def payouts_credited(*, settlement_ids: list[int]) -> None:
    """Each member whose settlement the billing system confirmed hears of the amount.
    Called in the transaction that confirms them; idempotent per settlement."""
    if not settlement_ids:
        return
    settlements = Settlement.objects.filter(
        pk__in=settlement_ids, state=Settlement.State.CONFIRMED
    ).values_list("pk", "account_id", "points", "amount_cents", "currency")
    rows = list(settlements)
    accounts = PointsAccount.objects.filter(pk__in=[row[1] for row in rows]).select_related("user")
    members = {account.pk: account.user for account in accounts}
    for pk, account_id, points, amount_cents, currency in rows:
        notify(
            recipient=members.get(account_id),
            kind=Kind.PAYOUT,
            key=f"payout:{pk}",
            data={"points": points, "amount_cents": amount_cents, "currency": currency},
        )
