import json
import logging

from django.conf import settings
from django.core import signing
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core.ratelimit import client_rate_limited
from core.submissions import new_form_key
from core.visitor_cache import cache_for_visitors
from courses import forms, selectors, services
from courses.catalogue import catalogue_version
from courses.jsonld import course_jsonld
from courses.models import PARTICIPANTS_PROCESSING, Booking, Course, CourseDate
from privacy.registry import registry

logger = logging.getLogger(__name__)

# Characters that could end a <script> element or start markup inside it
# (the same escapes as Django's json_script).
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# Dates per page of /kurs/: a visitor reads a page of dates, and the page costs the
# same with 20 or 2,000 upcoming dates.
COURSE_LIST_PAGE_SIZE = 20
# Dates per page of a course's page, under its texts: the next few, and the rest a
# click away (a course with 50 dates made a page Lighthouse found too large).
COURSE_PAGE_SIZE = 10


def course_list_cache_seconds() -> int:
    return settings.COURSE_LIST_CACHE_SECONDS


# Kept until the catalogue changes (a sign-up shows at once), and at most
# COURSE_LIST_CACHE_SECONDS, for what changes with time: a deadline that passes.
@cache_for_visitors(seconds=course_list_cache_seconds, version=catalogue_version)
@require_safe
def course_list(request):
    paginator = Paginator(selectors.course_dates_upcoming(), COURSE_LIST_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("side"))
    return render(
        request,
        "courses/course_list.html",
        {
            "course_dates": page.object_list,
            "page": page,
            "cache_seconds": settings.COURSE_LIST_CACHE_SECONDS,
            "catalogue_version": catalogue_version(),
        },
    )


@require_safe
def course_detail(request, slug):
    try:
        course = selectors.course_published(slug=slug)
    except Course.DoesNotExist:
        raise Http404("Fant ikke kurset.") from None
    paginator = Paginator(selectors.course_dates_coming(course), COURSE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("side"))
    course_dates = list(page.object_list)
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "course_dates": course_dates,
            "page": page,
            "jsonld": as_jsonld(
                course_jsonld(course=course, course_dates=course_dates)
            ),
        },
    )


def as_jsonld(data) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return mark_safe(text.translate(JSON_SCRIPT_ESCAPES))  # noqa: S308 (escaped)


# The empty form is the same for every visitor but for its CSRF token and its key
# against a double submission, which each visitor gets anew; a booking or an edit
# makes a new catalogue version, so the seats shown are never old, and a deadline
# passing shows within COURSE_LIST_CACHE_SECONDS, as on the course list.
@cache_for_visitors(
    seconds=course_list_cache_seconds,
    version=catalogue_version,
    fresh_inputs={"skjema": new_form_key},
)
@never_cache  # the form carries a fresh CSRF token and the current seat count
@require_http_methods(["GET", "POST"])
def signup(request, slug, date_id):
    try:
        course_date = selectors.course_date_for_signup(slug=slug, pk=date_id)
    except CourseDate.DoesNotExist:
        raise Http404("Fant ikke kursdatoen.") from None
    context = {"course_date": course_date, "course": course_date.course}
    if not course_date.signup_open():
        return render_closed(request, course_date, context)
    if request.method == "GET":
        # A full course's waitlist asks for contact details only.
        form = forms.SignupForm(contact_only=course_date.is_full)
        return render_signup(request, context, form, participants())

    contact_only = request.POST.get("contact_only") == "1"
    form = forms.SignupForm(request.POST, contact_only=contact_only)
    formset = forms.ParticipantFormSet(request.POST, prefix=forms.PARTICIPANT_PREFIX)
    if "add_participant" in request.POST or "recalculate" in request.POST:
        # No JavaScript needed: show the same input again, with one more row or
        # with the total for the participants filled in so far.
        adding = "add_participant" in request.POST
        more = participants(
            initial=forms.formset_initial(formset, request.POST),
            rows=formset.total_form_count() + (1 if adding else 0),
        )
        if adding:
            more.focus_new_row()
        return render_signup(
            request,
            context,
            forms.SignupForm(
                initial=forms.form_initial(form, request.POST),
                contact_only=contact_only,
            ),
            more,
        )
    if not (form.is_valid() and formset.is_valid()):
        return render_signup(request, context, form, formset)
    others = formset.participants()
    if problem := forms.count_problem(
        booker_attends=form.cleaned_data["booker_attends"], others=len(others)
    ):
        return render_signup(request, context, form, formset, problem=problem)
    if signup_rate_limited(request):
        return render_signup(request, context, form, formset, problem=RATE_LIMITED)
    try:
        booking = services.booking_create(
            course_date_id=course_date.pk,
            details=form.signup_details(others),
            join_waitlist=request.POST.get("waitlist") == "yes",
            form_key=form.form_key(),
        )
    except services.SignupClosed as error:
        context["closed_message"] = error.message
        return render_closed(request, course_date, context)
    except services.NotEnoughSeats as error:
        # Never half a booking: say so plainly and let the visitor choose.
        return render_signup(request, context, form, formset, not_enough_seats=error)
    if booking.awaiting_answer:
        # The waitlist's form, sent as a seat came free: the invoice, now.
        return redirect(services.booking_offer_url(booking))
    confirmed = booking.status == Booking.Status.CONFIRMED
    return redirect(
        "courses:signup_confirmed" if confirmed else "courses:signup_waitlisted",
        slug=slug,
        date_id=date_id,
    )


def participants(*, initial=None, rows=forms.BLANK_PARTICIPANT_ROWS):
    return forms.ParticipantFormSet(
        initial=initial, rows=rows, prefix=forms.PARTICIPANT_PREFIX
    )


RATE_LIMITED = (
    "Vi har fått mange påmeldinger fra deg på kort tid. Vent litt og prøv igjen, "
    "eller kontakt oss."
)


def signup_rate_limited(request) -> bool:
    """Seats are scarce: one client cannot fill a course with made-up bookings."""
    return client_rate_limited(
        request, scope="course-signup", limit=settings.COURSES_SIGNUP_RATE_LIMIT
    )


def render_signup(request, context, form, formset, **extra):
    course = context["course"]
    taking_part = forms.participants_named(form, formset)
    return render(
        request,
        "courses/signup.html",
        {
            **context,
            **extra,
            "form": form,
            "formset": formset,
            "newsletter_notice": forms.newsletter_notice(),
            "taking_part": taking_part,
            "amounts": course.amounts(seats=taking_part),
            "per_participant_ore": int(course.amounts(seats=1).total * 100),
            "participant_limit": forms.participant_limit(),
            "retention": registry.processing(PARTICIPANTS_PROCESSING).retention.text,
            "offer_hours": settings.COURSES_SEAT_OFFER_HOURS,
        },
    )


def render_closed(request, course_date, context):
    context.setdefault(
        "closed_message", services.signup_closed_message(course_date=course_date)
    )
    return render(request, "courses/signup_closed.html", context)


@never_cache  # a receipt of this visitor's booking
@require_safe
def signup_done(request, slug, date_id, waitlisted):
    try:
        course_date = selectors.course_date_for_signup(slug=slug, pk=date_id)
    except CourseDate.DoesNotExist:
        raise Http404("Fant ikke kursdatoen.") from None
    return render(
        request,
        "courses/signup_done.html",
        {
            "course_date": course_date,
            "course": course_date.course,
            "waitlisted": waitlisted,
            "offer_hours": settings.COURSES_SEAT_OFFER_HOURS,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def booking_cancel(request, token):
    """GET asks, POST cancels: a link opened by a mail scanner cancels nothing."""
    try:
        booking = services.booking_from_cancel_token(token)
    except (signing.BadSignature, Booking.DoesNotExist):
        logger.info("event=booking_cancel_link_invalid")
        return render(request, "courses/cancel_invalid.html", status=404)
    except services.CancellationClosed as error:
        return render(request, "courses/cancel_closed.html", {"message": error.message})
    context = {
        "booking": booking,
        "course_date": booking.course_date,
        "course": booking.course_date.course,
    }
    if booking.status == Booking.Status.CANCELLED:
        return render(request, "courses/cancel_done.html", context)
    if request.method == "POST":
        try:
            services.booking_cancel(booking_id=booking.pk)
        except services.CancellationClosed as error:
            return render(
                request, "courses/cancel_closed.html", {"message": error.message}
            )
        return redirect(request.path)
    return render(request, "courses/cancel_confirm.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def booking_offer(request, token):
    """A seat offered from the waitlist: GET shows it with the invoicing form,
    POST confirms it. A link opened by a mail scanner confirms nothing."""
    try:
        booking = services.booking_from_offer_token(token)
    except (signing.BadSignature, Booking.DoesNotExist):
        logger.info("event=booking_offer_link_invalid")
        return render(request, "courses/offer_invalid.html", status=404)
    except services.OfferClosed as error:
        return render(request, "courses/offer_closed.html", {"message": error.message})
    context = {
        "booking": booking,
        "course_date": booking.course_date,
        "course": booking.course_date.course,
        "amounts": booking.amounts,
        "cancel_url": reverse(
            "courses:booking_cancel",
            args=[services.booking_cancel_token(booking=booking)],
        ),
    }
    if request.method == "GET":
        return render_offer(request, context, forms.InvoiceForm())
    form = forms.InvoiceForm(request.POST)
    if not form.is_valid():
        return render_offer(request, context, form)
    try:
        services.booking_offer_accept(
            booking_id=booking.pk,
            invoice=form.invoice_details(contact_email=booking.email),
        )
    except services.OfferClosed as error:
        return render(request, "courses/offer_closed.html", {"message": error.message})
    return redirect(
        "courses:signup_confirmed",
        slug=booking.course_date.course.slug,
        date_id=booking.course_date_id,
    )


def render_offer(request, context, form):
    return render(request, "courses/offer_accept.html", {**context, "form": form})
