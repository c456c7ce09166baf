"""The URLs of community: the forums, questions and answers (views/), the API (api/) and
the staff page of escalated questions (escalation/views)."""

from django.urls import include, path

from community.api import views as api
from community.escalation import views as escalation
from community.views import actions, browse, posts, tags

pages = [
    path("", browse.home, name="home"),
    path("search/", browse.search_page, name="search"),
    path("tags/", tags.tag_index, name="tags"),
    path("tags/<path:name>/", browse.tag_page, name="tag"),  # a tag may hold a slash
    path("search/open/<int:pk>/", browse.search_result, name="search_result"),
    path("q/<int:pk>/related/", browse.related_questions, name="related"),
    path("q/<int:pk>/live/", browse.thread_live, name="thread_live"),
    path("questions/similar/", browse.similar_questions, name="similar"),
    path("f/<slug:slug>/", browse.forum, name="forum"),
    path("f/<slug:slug>/follow/", actions.forum_follow, name="forum_follow"),
    path("ask/", posts.ask, name="ask"),
    path("preview/", posts.preview_fragment, name="preview"),
    path("q/<int:pk>/", posts.question_page, name="question"),
    path("q/<int:pk>/edit/", posts.question_edit, name="question_edit"),
    path("q/<int:pk>/history/", posts.question_history, name="question_history"),
    path("q/<int:pk>/answer/", posts.answer_create, name="answer_create"),
    path("q/<int:pk>/kudos/", actions.question_kudos, name="question_kudos"),
    path("q/<int:pk>/follow/", actions.question_follow, name="question_follow"),
    path("q/<int:pk>/solved-too/", actions.solved_too, name="solved_too"),
    path("q/<int:pk>/unaccept/", actions.answer_unaccept, name="answer_unaccept"),
    path("a/<int:pk>/", posts.answer_page, name="answer"),
    path("a/<int:pk>/edit/", posts.answer_edit, name="answer_edit"),
    path("a/<int:pk>/history/", posts.answer_history, name="answer_history"),
    path("a/<int:pk>/kudos/", actions.answer_kudos, name="answer_kudos"),
    path("a/<int:pk>/accept/", actions.answer_accept, name="answer_accept"),
    path("a/<int:pk>/comment/", actions.comment_create, name="comment_create"),
]
api_v1 = [
    path("forums/", api.ForumListView.as_view(), name="forums"),
    path("forums/<slug:slug>/", api.ForumDetailView.as_view(), name="forum"),
    path("questions/", api.QuestionListView.as_view(), name="questions"),
    path("questions/<int:pk>/", api.QuestionDetailView.as_view(), name="question"),
    path("questions/<int:pk>/answers/", api.AnswerCreateView.as_view(), name="answers"),
    path(
        "questions/<int:pk>/accepted-answer/",
        api.AcceptedAnswerView.as_view(),
        name="accepted_answer",
    ),
    path("questions/<int:pk>/kudos/", api.QuestionKudosView.as_view(), name="question_kudos"),
    path("questions/<int:pk>/solved-too/", api.SolvedTooView.as_view(), name="solved_too"),
    path("answers/<int:pk>/", api.AnswerDetailView.as_view(), name="answer"),
    path("answers/<int:pk>/accept/", api.AnswerAcceptView.as_view(), name="answer_accept"),
    path("answers/<int:pk>/kudos/", api.AnswerKudosView.as_view(), name="answer_kudos"),
]
escalations = [path("", escalation.escalations, name="list")]
urlpatterns = [
    path("api/v1/", include((api_v1, "api"))),
    path("staff/escalations/", include((escalations, "escalations"))),
    path("", include((pages, "community"))),
]
