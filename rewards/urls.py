"""The URLs of rewards: the member's points and leaderboards (/points/), the badges
(/badges/), bounties (/bounties/), the staff settlement and fraud review pages
(/staff/...) and the API (/api/v1/). Each group keeps its namespace."""

from django.urls import include, path

from rewards import api, views
from rewards.badges import views as badge_views
from rewards.bounties import views as bounty_views
from rewards.fraud import views as fraud_views
from rewards.settlement import views as settlement_views

points = [
    path("", views.my_points, name="points"),
    path("leaderboards/", views.leaderboards, name="leaderboards"),
]
badges = [
    path("", badge_views.badge_list, name="list"),
    path("<slug:key>/", badge_views.badge_detail, name="detail"),
]
bounties = [
    path("question/<int:pk>/", bounty_views.offer, name="offer"),
]
settlements = [
    path("", settlement_views.settlement_list, name="list"),
    path("<int:pk>/retry/", settlement_views.settlement_retry, name="retry"),
    path("<int:pk>/cancel/", settlement_views.settlement_cancel, name="cancel"),
    path("export.csv", settlement_views.settlement_export, name="export"),
]
fraud_review = [
    path("", fraud_views.queue, name="queue"),
    path("holds/<int:pk>/", fraud_views.hold_decide, name="hold"),
    path("pairs/<int:account_id>/<int:counterpart_id>/", fraud_views.pair_decide, name="pair"),
]
api_v1 = [
    path("me/points/", api.MyPointsView.as_view(), name="my_points"),
    path("leaderboards/", api.LeaderboardView.as_view(), name="leaderboards"),
]

urlpatterns = [
    path("api/v1/", include((api_v1, "rewards_api"))),
    path("points/", include((points, "rewards"))),
    path("badges/", include((badges, "rewards_badges"))),
    path("bounties/", include((bounties, "rewards_bounty"))),
    path("staff/settlements/", include((settlements, "rewards_settlement"))),
    path("staff/fraud-review/", include((fraud_review, "rewards_fraud"))),
]
