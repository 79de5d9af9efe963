"""A course's texts and image for the "Innhold" group (the CourseContent proxy):
the course page's programme, audience, what to bring, teacher and image. The
title, price and dates stay with the "Kurs" group."""

from django.contrib import admin

from courses.models import CourseContent


@admin.register(CourseContent)
class CourseContentAdmin(admin.ModelAdmin):
    list_display = ["title", "teacher", "is_published"]
    search_fields = ["title"]
    fields = ["title", "programme", "audience", "what_to_bring", "teacher", "image"]
    readonly_fields = ["title"]
    autocomplete_fields = ["teacher", "image"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
