from django.contrib import admin

from community.models import Answer, Forum, Question, Tag


@admin.register(Forum)
class ForumAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "question_count", "answer_count"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class ReadOnlyPostAdmin(admin.ModelAdmin):
    """Posts change through the community's services (rendering, counters, history),
    so the admin only shows them; moderators act on the site."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Question)
class QuestionAdmin(ReadOnlyPostAdmin):
    list_display = ["title", "forum", "status", "answer_count", "vote_score", "created_at"]
    list_filter = ["status", "forum", "language"]
    list_select_related = ["forum"]
    search_fields = ["title"]
    date_hierarchy = "created_at"
    exclude = ["search_vector"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyPostAdmin):
    list_display = ["pk", "question", "is_official", "vote_score", "created_at"]
    list_filter = ["is_official"]
    list_select_related = ["question"]
    raw_id_fields = ["question", "author"]
