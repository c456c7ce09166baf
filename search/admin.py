from django.contrib import admin

from core.admin import ReadOnlyAdmin
from search import engine
from search.models import SearchLog, Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    """Community managers keep the synonyms; a query reads them at once (each process
    within engine.CACHE_SECONDS), no post is indexed again."""

    list_display = ["words", "note"]
    search_fields = ["words", "note"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        engine.clear_caches()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        engine.clear_caches()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        engine.clear_caches()


@admin.register(SearchLog)
class SearchLogAdmin(ReadOnlyAdmin):
    list_display = ["day", "query", "searches", "empty", "clicks"]
    list_filter = ["day"]
    search_fields = ["query"]
    date_hierarchy = "day"
