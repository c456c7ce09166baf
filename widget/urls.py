"""The URLs of the widget: its script at a fixed address (the embed code names it), the
demo page, and the JSON the script reads (views)."""

from django.urls import include, path

from widget import views

pages = [
    path("widget.js", views.script, name="script"),
    path("widget/demo/", views.demo, name="demo"),
    path("widget/v1/top/", views.top, name="top"),
    path("widget/v1/search/", views.search, name="search"),
    path("widget/v1/questions/<int:pk>/", views.question, name="question"),
    path("widget/v1/questions/<int:pk>/solved/", views.solved, name="solved"),
]
urlpatterns = [path("", include((pages, "widget")))]
