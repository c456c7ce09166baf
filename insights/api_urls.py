from django.urls import path

from insights import api

urlpatterns = [
    path("insights/summary/", api.InsightsSummaryView.as_view(), name="insights-summary"),
]
