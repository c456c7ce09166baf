"""The asker's page to put a bounty on their open question."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from community.models import Question
from core.views import forbidden_page
from rewards.bounties import services as bounties
from rewards.bounties.forms import BountyForm
from rewards.models import PointsAccount


@login_required
@forbidden_page
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, pk=pk)
    if request.user.pk != question.author_id:
        raise PermissionDenied(_("Only the asker can offer a bounty on this question."))
    form = BountyForm(request.POST) if request.method == "POST" else BountyForm()
    if request.method == "POST" and form.is_valid():
        try:
            bounties.bounty_offer(question=question, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Your bounty is on the question."))
            return redirect(question)
    account = PointsAccount.objects.filter(user=request.user).first()
    context = {
        "question": question,
        "form": form,
        "bounty": bounties.bounty_open_for(question),
        "available": bounties.points_spendable(account) if account else 0,
    }
    return render(request, "rewards/bounty_offer.html", context)
