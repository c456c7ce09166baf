"""The deflection and savings dashboard (/staff/insights/) for support leads and
community managers, the lists behind each of its numbers, their CSV downloads, and the
costs page. Figures come from insights.figures; these views parse the period, render
and stream.

The period form is sent with GET, by htmx when it can (only the figures are swapped and
the URL follows) and as a plain page otherwise. A bad period shows the form's errors
over the default period's figures, with status 400."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import User
from community.models import Forum
from core.formatting import money
from core.htmx import page_or_fragment, vary_on_htmx
from core.pagination import paginate
from core.views import permission_required_page
from insights import charts, csv_export, figures, periods
from insights.cost_forms import CostsForm, costs_update
from insights.forms import PeriodForm
from insights.models import DEFLECTION_KINDS, PERSONAL_KINDS, Channel, EventKind
from insights.periods import Period, month_end, month_start
from insights.permissions import can_see_insights, can_set_costs
from insights.templatetags.insights_tags import drill_url
from rewards.models import EconomySettings
from rewards.selectors import LEADERBOARD_PURPOSE, consents_to
from search import log as search_log

PER_PAGE = 50
FIRST_ROWS = 10  # unanswered and escalated questions shown on the dashboard
FIGURES_ID = "insights-figures"


insights_only = permission_required_page(
    can_see_insights,
    gettext_lazy("Only support leads and community managers can see what the community saves."),
)


# --- The period and the filters of the lists -----------------------------------------


class EventsFilter(PeriodForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[
            ("", gettext_lazy("Every deflected contact")),
            ("solution", gettext_lazy("Solutions by peers and by staff")),
            *EventKind.choices,
        ],
    )
    contributor = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    by = forms.ChoiceField(
        label=gettext_lazy("Said by"),
        required=False,
        choices=[
            ("", gettext_lazy("Anyone")),
            ("members", gettext_lazy("Members")),
            ("visitors", gettext_lazy("Anonymous visitors")),
            ("probation", gettext_lazy("Accounts in probation (not counted)")),
        ],
    )


class QuestionsFilter(PeriodForm):
    answered = forms.ChoiceField(
        label=gettext_lazy("Answered within 24 hours"),
        required=False,
        choices=[
            ("", gettext_lazy("Any question asked")),
            ("yes", gettext_lazy("Yes")),
            ("no", gettext_lazy("No (of those at least 24 hours old)")),
        ],
    )
    list = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            ("", gettext_lazy("Questions asked in the period")),
            ("unanswered", gettext_lazy("Unanswered now")),
            ("escalated", gettext_lazy("Escalated and unanswered now")),
        ],
    )


class PointsFilter(PeriodForm):
    contributor = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


@dataclass(frozen=True)
class Chosen:
    """What the reader asked for, or the default period when it makes no sense."""

    form: PeriodForm
    period: Period
    forum: Forum | None
    filters: dict

    @property
    def status(self) -> int:
        return 400 if self.form.errors else 200


def _chosen(request: HttpRequest, form_class: type[PeriodForm] = PeriodForm) -> Chosen:
    """Missing dates are this month's; invalid input falls back to this month, all forums."""
    form = form_class.for_query(request.GET.dict())
    if not form.is_valid():
        return Chosen(form, periods.this_month(), None, {})
    cleaned = dict(form.cleaned_data)
    period, forum = cleaned.pop("period"), cleaned.pop("forum")
    extra = {name: value for name, value in cleaned.items() if name not in ("from", "to")}
    return Chosen(form, period, forum, extra)


def _link(request: HttpRequest) -> Callable[[str], str]:
    return request.build_absolute_uri


def _place(forum: Forum | None) -> str:
    if forum is None:
        return _("the whole community")
    return _("forum %(name)s") % {"name": forum.name}


def quick_periods(today=None) -> list[tuple[str, Period]]:
    """The quick links next to the period form: whole calendar months."""
    current = periods.this_month(today)
    first = current.start
    return [
        (_("This month"), current),
        (_("Last month"), current.previous()),
        (_("Last 3 full months"), Period(month_start(first, months=-3), first - timedelta(1))),
        (_("Last 12 full months"), Period(month_start(first, months=-12), first - timedelta(1))),
    ]


# --- The dashboard -------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """One summary number, with the previous period's and the list each counts."""

    label: str
    unit: str  # count, money, rate or duration: how to write it
    value: int | Decimal | timedelta | None
    previous: int | Decimal | timedelta | None
    url: str
    previous_url: str
    extra: str = ""  # a second number, e.g. the savings of a count, and its list
    extra_url: str = ""
    also: str = ""  # a page about the same things, e.g. the contact requests themselves
    also_url: str = ""
    # Who said so, for marks and contact deflections: (text, url of its list or "").
    breakdown: tuple[tuple[str, str], ...] = ()

    @property
    def change(self):
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    summary: figures.Summary
    response: figures.Response

    @classmethod
    def load(cls, period: Period, forum: Forum | None, inputs: figures.Inputs) -> "PeriodFigures":
        return cls(period, *figures.summary_and_response(period, forum=forum, inputs=inputs))


def _cards(now: PeriodFigures, before: PeriodFigures, forum: Forum | None) -> dict:
    """The summary cards, in two groups: deflection and savings, then answers."""

    def card(label, unit, get, *, list_name="insights:events", query=None, **shown) -> Card:
        """`get` reads the value from a PeriodFigures; `query` filters the list."""
        query = query or {}
        return Card(
            label=label,
            unit=unit,
            value=get(now),
            previous=get(before),
            url=drill_url(list_name, now.period, forum, **query),
            previous_url=drill_url(list_name, before.period, forum, **query),
            **shown,
        )

    summary, response, period = now.summary, now.response, now.period
    points_url = drill_url("insights:points", period, forum)
    deflection = [
        card(
            figure.label,
            "count",
            lambda f, i=i: f.summary.kinds[i].count,
            query={"kind": figure.kind},
            extra=_("%(amount)s saved") % {"amount": money(figure.savings)},
            extra_url=drill_url("insights:events", period, forum, kind=figure.kind),
            breakdown=_breakdown(figure, period, forum),
        )
        for i, figure in enumerate(summary.kinds)
    ]
    deflection += [
        card(_("Deflected contacts"), "count", lambda f: f.summary.deflected),
        card(_("Gross savings"), "money", lambda f: f.summary.gross_savings),
        card(
            _("Value of points credited"),
            "money",
            lambda f: f.summary.points_value,
            list_name="insights:points",
            extra=ngettext("%(points)s point", "%(points)s points", summary.points_credited)
            % {"points": formats.localize(summary.points_credited)},
            extra_url=points_url,
        ),
        card(
            _("Net savings"),
            "money",
            lambda f: f.summary.net_savings,
            extra=_("gross savings minus %(amount)s in points")
            % {"amount": money(summary.points_value)},
            extra_url=points_url,
        ),
        card(
            _("Contact-page deflection rate"),
            "rate",
            lambda f: f.summary.contact_rate,
            query={"kind": EventKind.CONTACT_DEFLECTED},
            extra=ngettext(
                "%(count)s request sent", "%(count)s requests sent", summary.contact_submitted
            )
            % {"count": formats.localize(summary.contact_submitted)},
            extra_url=drill_url("insights:events", period, forum, kind=EventKind.CONTACT_SUBMITTED),
            also=_("Open the requests"),
            also_url=reverse("contact:requests"),
        ),
    ]
    answers = [
        card(
            _("Questions asked"),
            "count",
            lambda f: f.response.questions,
            list_name="insights:questions",
        ),
        card(
            _("Answered within 24 hours"),
            "rate",
            lambda f: f.response.answer_rate,
            list_name="insights:questions",
            query={"answered": "yes"},
            extra=_("%(count)s not in time")
            % {"count": formats.localize(response.due - response.answered_24h)},
            extra_url=drill_url("insights:questions", period, forum, answered="no"),
        ),
        card(
            _("Median time to first answer"),
            "duration",
            lambda f: f.response.ttfa_median,
            list_name="insights:questions",
        ),
        card(
            _("90th percentile time to first answer"),
            "duration",
            lambda f: f.response.ttfa_p90,
            list_name="insights:questions",
        ),
        card(
            _("Share of solutions by peers"),
            "rate",
            lambda f: f.response.peer_share,
            query={"kind": EventKind.PEER_SOLUTION},
            extra=_("%(count)s by staff") % {"count": formats.localize(response.staff_solutions)},
            extra_url=drill_url("insights:events", period, forum, kind=EventKind.STAFF_SOLUTION),
        ),
    ]
    return {"deflection": deflection, "answers": answers}


def _breakdown(figure, period: Period, forum: Forum | None) -> tuple[tuple[str, str], ...]:
    """Members and anonymous visitors apart, each with its list, what was refused, and
    what accounts in probation caused (recorded, not counted)."""
    count = formats.localize

    def said(by: str) -> str:
        return drill_url("insights:events", period, forum, kind=figure.kind, by=by)

    probation = (
        _("%(count)s from accounts in probation, not counted")
        % {"count": count(figure.in_probation)},
        said("probation"),
    )
    if figure.kind not in PERSONAL_KINDS:
        return (probation,)
    return (
        (_("%(count)s by members") % {"count": count(figure.by_members)}, said("members")),
        (_("%(count)s by visitors") % {"count": count(figure.by_visitors)}, said("visitors")),
        (_("%(count)s refused as forged or floods") % {"count": count(figure.refused)}, ""),
        probation,
    )


def _with_periods(rows: list) -> list[tuple]:
    """Each month's row with its period, for the links of the charts' tables."""
    return [(row, Period(row.month, month_end(row.month))) for row in rows]


def _dashboard_context(request: HttpRequest, chosen: Chosen) -> dict:
    period, forum = chosen.period, chosen.forum
    inputs = figures.Inputs.load()  # once for every figure of the page
    now = PeriodFigures.load(period, forum, inputs)
    before = PeriodFigures.load(period.previous(), forum, inputs)
    months = figures.months(period, forum=forum, inputs=inputs)
    unanswered, escalated = figures.unanswered(forum=forum), figures.escalated(forum=forum)
    forum_rows = figures.forums(period, inputs=inputs)
    summary = now.summary
    return {
        "form": chosen.form,
        "quick": [(label, quick, quick == period) for label, quick in quick_periods()],
        "period": period,
        "previous": before.period,
        "forum": forum,
        "place": _place(forum),
        "summary": summary,
        "cards": _cards(now, before, forum),
        "costs_in_use": [
            (Channel(summary.community_channel).label, summary.costs[summary.community_channel]),
            (Channel.CONTACT_FORM.label, summary.costs[Channel.CONTACT_FORM]),
        ],
        "charts": charts.dashboard_charts(months, place=_place(forum)),
        "months": _with_periods(months),
        "forum_rows": forum_rows,
        "worst": figures.worst_forums(period, rows=forum_rows),
        "contributors": figures.top_contributors(period, forum=forum),
        "unanswered": list(unanswered[:FIRST_ROWS]),
        "unanswered_count": unanswered.count(),
        "escalated": list(escalated[:FIRST_ROWS]),
        "escalated_count": escalated.count(),
        "time_zone": periods.reporting_zone().key,
        "may_set_costs": can_set_costs(request.user),
        "figures_id": FIGURES_ID,
        "searches": _searches(period),
    }


def _searches(period) -> dict:
    """How many searches of the period ended on a result opened (the whole community:
    the anonymous search log knows no forum)."""
    searches, opened = search_log.answered_share(since=period.start, until=period.end)
    share = Decimal(opened) / Decimal(searches) if searches else None
    return {"count": searches, "opened": opened, "share": share}


@vary_on_htmx
@insights_only
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    chosen = _chosen(request)
    response = page_or_fragment(
        request,
        "insights/dashboard.html",
        "insights/_figures_swap.html",
        _dashboard_context(request, chosen),
        target=FIGURES_ID,
    )
    response.status_code = chosen.status
    return response


# The dashboard's tables as CSV: name -> the table for the chosen period and forum.
EXPORTS: dict[str, Callable[[HttpRequest, Chosen], csv_export.Table]] = {
    "forums": lambda request, chosen: csv_export.forums_table(figures.forums(chosen.period)),
    "worst-forums": lambda request, chosen: csv_export.forums_table(
        figures.worst_forums(chosen.period)
    ),
    "months": lambda request, chosen: csv_export.months_table(
        figures.months(chosen.period, forum=chosen.forum)
    ),
    "contributors": lambda request, chosen: csv_export.contributors_table(
        figures.top_contributors(chosen.period, forum=chosen.forum), link=_link(request)
    ),
}


def _bad_request(request: HttpRequest, form: forms.Form) -> HttpResponse:
    """A download with a bad period: the errors in words, not a file."""
    return render(request, "insights/bad_request.html", {"form": form}, status=400)


@insights_only
@require_safe
def export(request: HttpRequest) -> HttpResponse:
    """?table=forums|worst-forums|months|contributors and the period."""
    table = request.GET.get("table", "")
    if table not in EXPORTS:
        raise Http404(_("There is no such table."))
    chosen = _chosen(request)
    if chosen.status != 200:
        return _bad_request(request, chosen.form)
    return csv_export.csv_response(
        name=table, period=chosen.period, table=EXPORTS[table](request, chosen)
    )


# --- The lists behind the numbers ----------------------------------------------------


def _of_contributor(rows: QuerySet, chosen: Chosen, field: str) -> tuple[QuerySet, User | None]:
    """The rows of ?contributor=<id> (through `field`), and that member. A contributor's
    lists exist only for members who consent to be listed: otherwise no rows."""
    pk = chosen.filters.get("contributor")
    if pk is None:
        return rows, None
    contributor = (
        User.objects.annotate(listed=consents_to(LEADERBOARD_PURPOSE, user_ref="pk"))
        .filter(pk=pk, listed=True, is_active=True)
        .only("display_name")
        .first()
    )
    if contributor is None:
        return rows.none(), None
    return rows.filter(**{field: contributor}), contributor


def _list_page(
    request: HttpRequest,
    chosen: Chosen,
    *,
    template: str,
    rows: QuerySet,
    csv: Callable[[], csv_export.Table],
    name: str,
    **context,
) -> HttpResponse:
    if request.GET.get("format") == "csv":
        if chosen.status != 200:
            return _bad_request(request, chosen.form)
        return csv_export.csv_response(name=name, period=chosen.period, table=csv())
    page = paginate(request, rows, per_page=PER_PAGE)
    context.update(
        form=chosen.form,
        period=chosen.period,
        forum=chosen.forum,
        place=_place(chosen.forum),
        page=page,
    )
    return render(request, template, context, status=chosen.status)


@insights_only
@require_safe
def events(request: HttpRequest) -> HttpResponse:
    """Kind, time, forum, question, channel and cost; never who (member or visitor)."""
    chosen = _chosen(request, EventsFilter)
    kind = chosen.filters.get("kind") or None
    rows, contributor = _of_contributor(
        figures.events_list(
            chosen.period, kind=kind, forum=chosen.forum, by=chosen.filters.get("by") or ""
        ),
        chosen,
        "answer__author",
    )
    costs = figures.channel_costs()
    totals = rows.order_by().values("channel").annotate(n=Count("pk"))
    worth = sum((row["n"] * costs[row["channel"]] for row in totals), Decimal(0))
    return _list_page(
        request,
        chosen,
        template="insights/events.html",
        rows=rows,
        csv=lambda: csv_export.events_table(rows, costs=costs, link=_link(request)),
        name="events",
        costs=costs,
        kind_label=dict(EventsFilter.base_fields["kind"].choices).get(kind or ""),
        contributor=contributor,
        counts_savings=kind is None or kind in DEFLECTION_KINDS,
        worth=worth,
    )


@insights_only
@require_safe
def questions(request: HttpRequest) -> HttpResponse:
    chosen = _chosen(request, QuestionsFilter)
    which = chosen.filters.get("list")
    answered = {"yes": True, "no": False}.get(chosen.filters.get("answered") or "")
    if which == "unanswered":
        rows = figures.unanswered(forum=chosen.forum)
    elif which == "escalated":
        rows = figures.escalated(forum=chosen.forum)
    else:
        rows = figures.questions_asked(chosen.period, forum=chosen.forum, answered_24h=answered)
    return _list_page(
        request,
        chosen,
        template="insights/questions.html",
        rows=rows,
        csv=lambda: csv_export.questions_table(rows, link=_link(request)),
        name=which or "questions",
        which=which,
        answered=answered,
    )


@insights_only
@require_safe
def points(request: HttpRequest) -> HttpResponse:
    """Forum, question, rule, points and euros; never who received them."""
    chosen = _chosen(request, PointsFilter)
    rows, contributor = _of_contributor(
        figures.points_entries(chosen.period, forum=chosen.forum), chosen, "account__user"
    )
    per_euro = EconomySettings.load().points_per_euro
    total = rows.aggregate(points=Sum("amount"))["points"] or 0
    return _list_page(
        request,
        chosen,
        template="insights/points.html",
        rows=rows,
        csv=lambda: csv_export.points_table(rows, points_per_euro=per_euro, link=_link(request)),
        name="points",
        points_per_euro=per_euro,
        contributor=contributor,
        total=total,
        total_value=figures.points_value(total, per_euro),
    )


# --- The costs -----------------------------------------------------------------------


@insights_only
@require_http_methods(["GET", "HEAD", "POST"])
def costs(request: HttpRequest) -> HttpResponse:
    if not can_set_costs(request.user):
        raise PermissionDenied(_("Only support leads and community managers can set the costs."))
    if request.method != "POST":
        return render(request, "insights/costs.html", {"form": CostsForm.current()})
    form = CostsForm(request.POST)
    if form.is_valid():
        costs_update(costs=form.costs(), community_channel=form.cleaned_data["community_channel"])
        messages.success(request, _("Saved. Every period is now counted at these costs."))
        return redirect("insights:costs")
    return render(request, "insights/costs.html", {"form": form}, status=400)
