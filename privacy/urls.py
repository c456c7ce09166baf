from django.urls import path

from privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.privacy_settings, name="settings"),
    path("accept/", views.accept, name="accept"),
    path("texts/<slug:key>/", views.purpose_text, name="text"),
    path("<slug:key>/", views.consent_change, name="change"),
]
