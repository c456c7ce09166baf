from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from community.models import Question


def baseline(request: HttpRequest) -> HttpResponse:
    """The yardstick: 30 rows from PostgreSQL through a bare template, nothing else."""
    rows = Question.objects.only("pk", "title", "answer_count", "created_at").order_by("-pk")
    return render(request, "bench/baseline.html", {"rows": rows[:30]})


def layout(request: HttpRequest) -> HttpResponse:
    """The site's base.html with no content: what every page pays before its own data."""
    return render(request, "bench/layout.html")
