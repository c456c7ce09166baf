from django.urls import path

from rewards import views

app_name = "rewards"
urlpatterns = [
    path("", views.my_points, name="points"),
    path("leaderboards/", views.leaderboards, name="leaderboards"),
]
