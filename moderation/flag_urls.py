from django.urls import path

from moderation import views

app_name = "flags"
urlpatterns = [
    path("<slug:kind>/<int:pk>/", views.flag, name="create"),
]
