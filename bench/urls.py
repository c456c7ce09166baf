from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/baseline/", views.baseline, name="bench-baseline"),
    path("bench/layout/", views.layout, name="bench-layout"),
    path("", include("config.urls")),
]
