from django.contrib import admin

from community.models import Answer, Forum, Question, Tag
from core.admin import ReadOnlyAdmin


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "question_count", "answer_count"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    """Posts change through the community's services; moderators act on the site."""

    list_display = ["title", "forum", "status", "answer_count", "vote_score", "created_at"]
    list_filter = ["status", "forum", "language"]
    list_select_related = ["forum"]
    search_fields = ["title"]
    date_hierarchy = "created_at"


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["pk", "question", "is_official", "vote_score", "created_at"]
    list_filter = ["is_official"]
    list_select_related = ["question"]
    raw_id_fields = ["question", "author"]
