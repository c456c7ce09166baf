from django.urls import path

from notifications import invite_views

app_name = "invitations"
urlpatterns = [path("<int:pk>/", invite_views.invite, name="invite")]
