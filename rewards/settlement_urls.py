"""Under /staff/settlements/."""

from django.urls import path

from rewards import settlement_views

app_name = "rewards_settlement"
urlpatterns = [
    path("", settlement_views.settlement_list, name="list"),
    path("<int:pk>/retry/", settlement_views.settlement_retry, name="retry"),
    path("<int:pk>/cancel/", settlement_views.settlement_cancel, name="cancel"),
    path("export.csv", settlement_views.settlement_export, name="export"),
]
