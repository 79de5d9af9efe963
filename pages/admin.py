"""The "Innhold" group's tools: the pages' texts, the people who teach,
testimonials, questions and answers, and the image library. Images are saved and
deleted through content.services, which makes and removes their files."""

from django import forms
from django.contrib import admin
from django.core.files.storage import default_storage
from django.utils.html import format_html

from pages import services
from pages.images import image_checked
from pages.models import Image, Page, Person, Question, Testimonial


class ImageForm(forms.ModelForm):
    upload = forms.FileField(
        label="Bildefil",
        required=False,
        help_text="JPEG, PNG eller WebP. Bildet lagres i flere størrelser; "
        "filnavnet og opplysninger fra kameraet (som sted og tid) lagres ikke.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp"}
        ),
    )

    class Meta:
        model = Image
        fields = ["upload", "alt"]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload is None:
            if self.instance.pk is None:
                raise forms.ValidationError("Velg en bildefil.", code="required")
            return None
        image_checked(upload)  # raises the Norwegian ValidationError
        return upload


def thumbnail(image: Image | None):
    if image is None or not image.widths:
        return "–"
    width = image.widths[0]
    return format_html(
        '<img src="{}" width="{}" height="{}" alt="" class="content-thumbnail">',
        default_storage.url(image.variant_name(width, "jpg")),
        120,
        image.height_at(120) if image.width else 80,
    )


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageForm
    list_display = ["preview", "alt", "size", "created_at"]
    list_display_links = ["preview", "alt"]
    search_fields = ["alt"]
    readonly_fields = ["preview", "size"]

    @admin.display(description="bilde")
    def preview(self, obj):
        return thumbnail(obj)

    @admin.display(description="størrelse")
    def size(self, obj):
        return f"{obj.width} × {obj.height} px" if obj.width else "–"

    def get_fields(self, request, obj=None):
        return ["preview", "size", "upload", "alt"] if obj else ["upload", "alt"]

    def save_model(self, request, obj, form, change):
        services.image_save(image=obj, upload=form.cleaned_data.get("upload"))

    def delete_model(self, request, obj):
        services.image_delete(image=obj)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            services.image_delete(image=image)


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    """The rows are made by a migration: staff edit them, never add or delete."""

    list_display = ["__str__", "heading", "updated_at"]
    fields = ["heading", "introduction", "body", "image"]
    autocomplete_fields = ["image"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "is_published", "order"]
    list_filter = ["is_published"]
    search_fields = ["name", "role"]
    fields = ["name", "role", "bio", "photo", "email", "is_published", "order"]
    autocomplete_fields = ["photo"]

    def delete_model(self, request, obj):
        services.person_delete(person=obj)

    def delete_queryset(self, request, queryset):
        for person in queryset:
            services.person_delete(person=person)


@admin.register(Testimonial)
class TestimonialAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "consent_obtained", "is_published", "order"]
    list_filter = ["is_published", "consent_obtained"]
    search_fields = ["name", "role", "quote"]
    fieldsets = [
        (None, {"fields": ["quote", "name", "role", "email"]}),
        ("Samtykke", {"fields": ["consent_obtained", "consent_note"]}),
        ("Visning", {"fields": ["is_published", "order"]}),
    ]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["question", "is_published", "order"]
    list_filter = ["is_published"]
    search_fields = ["question", "answer"]
    fields = ["question", "answer", "is_published", "order"]
