from django.urls import path

from community.views import actions, browse, posts

app_name = "community"
urlpatterns = [
    path("", browse.home, name="home"),
    path("search/", browse.search_page, name="search"),
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
