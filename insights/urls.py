"""The URLs of insights: the staff dashboard (views), the contact page and the support
leads' list of its requests (contact/views), and the figures for BI tools (api)."""

from django.urls import include, path

from insights import api, views
from insights.contact import views as contact

dashboard = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
    path("events/", views.events, name="events"),
    path("questions/", views.questions, name="questions"),
    path("points/", views.points, name="points"),
    path("costs/", views.costs, name="costs"),
]
contact_pages = [
    path("", contact.start, name="start"),
    path("suggestions/", contact.suggestions, name="suggestions"),
    path("q/<int:pk>/solved/", contact.solved, name="solved"),
    path("q/<int:pk>/thanks/", contact.thanks, name="thanks"),
    path("sent/", contact.sent, name="sent"),
    path("requests/", contact.requests_list, name="requests"),
    path("requests/<int:pk>/retry/", contact.request_retry, name="retry"),
]
urlpatterns = [
    path("staff/insights/", include((dashboard, "insights"))),
    path("contact/", include((contact_pages, "contact"))),
    path("api/v1/insights/summary/", api.InsightsSummaryView.as_view(), name="insights-summary"),
]
