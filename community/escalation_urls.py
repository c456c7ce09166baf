from django.urls import path

from community import escalation_views

app_name = "escalations"
urlpatterns = [path("", escalation_views.escalations, name="list")]
