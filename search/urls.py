"""The URLs of search: the staff page of content gaps."""

from django.urls import include, path

from search import views

staff = [path("", views.content_gaps, name="gaps")]

urlpatterns = [path("staff/search/", include((staff, "search")))]
