from django.urls import path

from insights import contact_views as views

app_name = "contact"
urlpatterns = [
    path("", views.start, name="start"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("q/<int:pk>/solved/", views.solved, name="solved"),
    path("q/<int:pk>/thanks/", views.thanks, name="thanks"),
    path("sent/", views.sent, name="sent"),
    path("requests/", views.requests_list, name="requests"),
    path("requests/<int:pk>/retry/", views.request_retry, name="retry"),
]
