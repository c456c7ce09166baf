"""Under /api/v1/, included before community's API (whose catch-all answers 404)."""

from django.urls import path

from rewards import api

app_name = "rewards_api"
urlpatterns = [
    path("me/points/", api.MyPointsView.as_view(), name="my_points"),
    path("leaderboards/", api.LeaderboardView.as_view(), name="leaderboards"),
]
