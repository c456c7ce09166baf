"""What a visitor does in the widget: say that the answer it showed solved their problem,
a deflected contact of the source "widget" (insights)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from community.models import Question
from insights import events, proof
from insights.models import Event, EventKind
from widget.selectors import answer_shown


def widget_solved(*, question: Question, visitor: proof.Visitor) -> Event | None:
    """The visitor, whose view of the answer is proven (insights.proof.visitor_from), says
    it solved their problem. Counted at most once per person and question, whatever the
    door (None when this person already counted for it: here, on the contact page or with
    a "solved for me too"). Past the day's limits per person and network it raises
    RateLimited and records nothing, the refusal counted (insights.proof)."""
    answer = answer_shown(question) if question.is_visible else None
    if answer is None:
        raise ValidationError(_("This question has no answer yet."), code="no_answer")
    proof.visitor_allow(visitor, question_id=question.pk, kind=EventKind.WIDGET_SOLVED)
    return events.widget_solved(question=question, answer=answer, visitor=visitor.hash)
