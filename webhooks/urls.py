"""The URLs of webhooks: the staff pages under /staff/webhooks/."""

from django.urls import include, path

from webhooks import views

staff = [
    path("", views.endpoint_list, name="list"),
    path("new/", views.endpoint_create, name="create"),
    path("<int:pk>/", views.endpoint_detail, name="endpoint"),
    path("<int:pk>/edit/", views.endpoint_edit, name="edit"),
    path("<int:pk>/rotate-secret/", views.secret_rotate, name="rotate"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery"),
    path("deliveries/<int:pk>/redeliver/", views.delivery_redeliver, name="redeliver"),
]

urlpatterns = [path("staff/webhooks/", include((staff, "webhooks")))]
