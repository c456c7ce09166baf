from django.urls import path

from moderation import audit_views

app_name = "moderation_log"
urlpatterns = [
    path("", audit_views.log, name="list"),
    path("member/<int:pk>/", audit_views.member, name="member"),
    path("member/<int:pk>/sanction/", audit_views.sanction, name="sanction"),
    path("appeals/<int:pk>/decide/", audit_views.appeal_decide, name="appeal_decide"),
]
