"""What the course admin pages share: counts in words, the confirmation page of an
action, a yes/no filter."""

from django.contrib import admin
from django.template.response import TemplateResponse

from core.norwegian import count
from courses import services


def bookings(number: int) -> str:
    return count(number, "påmelding", "påmeldinger")


def invoicing_left_alone(result: services.Invoicing) -> str:
    reasons = [
        (result.already_invoiced, "var fakturert fra før"),
        (result.waitlisted, "står på venteliste"),
        (result.cancelled, "er avbestilt"),
    ]
    why = ", ".join(f"{number} {reason}" for number, reason in reasons if number)
    return f"{bookings(result.left_alone)} ble ikke endret: {why}."


def is_set_filter(*, title: str, field: str) -> type[admin.SimpleListFilter]:
    """A Ja/Nei filter on whether a date is set (Django's own offers "Tom" and
    "Ikke tom")."""

    class IsSetFilter(admin.SimpleListFilter):
        parameter_name = title

        def lookups(self, request, model_admin):
            return [("ja", "Ja"), ("nei", "Nei")]

        def queryset(self, request, queryset):
            if self.value() in ("ja", "nei"):
                return queryset.filter(**{f"{field}__isnull": self.value() == "nei"})
            return queryset

    IsSetFilter.title = title
    return IsSetFilter


def confirmation_page(request, model_admin, queryset, **texts):
    """An intermediate page for an action that cannot be undone, like Django's
    "delete selected": the action runs when the form comes back with confirm=yes."""
    return TemplateResponse(
        request,
        "admin/courses/confirm_action.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "objects": list(queryset),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            **texts,
        },
    )
