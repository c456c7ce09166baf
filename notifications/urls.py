"""The URLs of notifications: the list, preferences and unsubscribe under /notifications/,
invitations to answer under /invite/, and the member's notifications in the API under
/api/v1/notifications/."""

from django.urls import include, path

from notifications import api, views
from notifications.invitations import views as invitation_views

notifications = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
invitations = [path("<int:pk>/", invitation_views.invite, name="invite")]
notifications_api = [
    path("notifications/", api.NotificationListView.as_view(), name="list"),
    path("notifications/read-all/", api.NotificationReadAllView.as_view(), name="read_all"),
    path("notifications/preferences/", api.PreferencesView.as_view(), name="preferences"),
    path("notifications/<int:pk>/read/", api.NotificationReadView.as_view(), name="read"),
]

urlpatterns = [
    path("api/v1/", include((notifications_api, "notifications_api"))),
    path("notifications/", include((notifications, "notifications"))),
    path("invite/", include((invitations, "invitations"))),
]
