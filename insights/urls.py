from django.urls import path

from insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/", views.export, name="export"),
    path("events/", views.events, name="events"),
    path("questions/", views.questions, name="questions"),
    path("points/", views.points, name="points"),
    path("costs/", views.costs, name="costs"),
]
