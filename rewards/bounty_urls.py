from django.urls import path

from rewards import bounty_views

app_name = "rewards_bounty"
urlpatterns = [
    path("question/<int:pk>/", bounty_views.offer, name="offer"),
]
