from django import template

from community.models import Question
from rewards.bounties.services import bounty_open_for

register = template.Library()


@register.inclusion_tag("rewards/_bounty_box.html", takes_context=True)
def bounty_box(context, question) -> dict:
    """An open bounty's points and deadline, for everyone; for the asker of an open question
    without one, the link to offer one. One query."""
    user = context["request"].user
    bounty = bounty_open_for(question)
    can_offer = (
        bounty is None
        and question.status == Question.Status.OPEN
        and user.is_authenticated
        and user.pk == question.author_id
    )
    return {"bounty": bounty, "question": question, "can_offer": can_offer}
