from django.urls import path, re_path

from community.api import views

app_name = "api"
urlpatterns = [
    path("forums/", views.ForumListView.as_view(), name="forums"),
    path("forums/<slug:slug>/", views.ForumDetailView.as_view(), name="forum"),
    path("questions/", views.QuestionListView.as_view(), name="questions"),
    path("questions/<int:pk>/", views.QuestionDetailView.as_view(), name="question"),
    path("questions/<int:pk>/answers/", views.AnswerCreateView.as_view(), name="answers"),
    path(
        "questions/<int:pk>/accepted-answer/",
        views.AcceptedAnswerView.as_view(),
        name="accepted_answer",
    ),
    path("questions/<int:pk>/kudos/", views.QuestionKudosView.as_view(), name="question_kudos"),
    path("questions/<int:pk>/solved-too/", views.SolvedTooView.as_view(), name="solved_too"),
    path("answers/<int:pk>/", views.AnswerDetailView.as_view(), name="answer"),
    path("answers/<int:pk>/accept/", views.AnswerAcceptView.as_view(), name="answer_accept"),
    path("answers/<int:pk>/kudos/", views.AnswerKudosView.as_view(), name="answer_kudos"),
    # Unknown paths and ids that are not numbers: a JSON 404 like every other API error.
    # Any character, a newline (%0A) too: "." would miss it and leave Django's HTML 404.
    re_path(r"^[\s\S]*$", views.NotFoundView.as_view(), name="not_found"),
]
