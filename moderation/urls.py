"""The URLs of moderation: the review queue and the thread tools (views), the audit log
and a member's standing (audit/views), flagging as a member (flags/views, flags/api) and
a member's own decisions and appeals (appeals/views)."""

from django.urls import include, path

from moderation import views
from moderation.appeals import views as appeals
from moderation.audit import views as audit
from moderation.flags import api as flags_api
from moderation.flags import views as flags

queue = [
    path("", views.queue, name="queue"),
    path("case/<int:pk>/", views.case_page, name="case"),
    path("case/<int:pk>/claim/", views.case_claim, name="claim"),
    path("case/<int:pk>/<slug:action>/", views.case_act, name="act"),
    path("thread/<int:pk>/lock/", views.thread_lock, name="thread_lock"),
    path("thread/<int:pk>/move/", views.thread_move, name="thread_move"),
]
log = [
    path("", audit.log, name="list"),
    path("member/<int:pk>/", audit.member, name="member"),
    path("member/<int:pk>/sanction/", audit.sanction, name="sanction"),
    path("appeals/<int:pk>/decide/", audit.appeal_decide, name="appeal_decide"),
]
flagging = [
    path("<slug:kind>/<int:pk>/", flags.flag, name="create"),
]
decisions = [
    path("", appeals.decisions, name="list"),
    path("<int:pk>/", appeals.decision, name="detail"),
]
urlpatterns = [
    path("staff/moderation/log/", include((log, "moderation_log"))),
    path("staff/moderation/", include((queue, "moderation"))),
    path("flag/", include((flagging, "flags"))),
    path("moderation/", include((decisions, "decisions"))),
    path("api/v1/flags/", flags_api.FlagCreateView.as_view(), name="api-flags"),
]
