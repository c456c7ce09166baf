from django.urls import path

from rewards import fraud_views

app_name = "rewards_fraud"
urlpatterns = [
    path("", fraud_views.queue, name="queue"),
    path("holds/<int:pk>/", fraud_views.hold_decide, name="hold"),
    path("pairs/<int:account_id>/<int:counterpart_id>/", fraud_views.pair_decide, name="pair"),
]
