from django.urls import path

from moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("case/<int:pk>/", views.case_page, name="case"),
    path("case/<int:pk>/claim/", views.case_claim, name="claim"),
    path("case/<int:pk>/<slug:action>/", views.case_act, name="act"),
    path("thread/<int:pk>/lock/", views.thread_lock, name="thread_lock"),
    path("thread/<int:pk>/move/", views.thread_move, name="thread_move"),
]
