from django.urls import path

from moderation import member_views

app_name = "decisions"
urlpatterns = [
    path("", member_views.decisions, name="list"),
    path("<int:pk>/", member_views.decision, name="detail"),
]
