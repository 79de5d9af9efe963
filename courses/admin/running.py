"""Running a course date from its page: the pages and POST actions under
/admin/courses/coursedate/<id>/ for one booking (resend, move, swap), a booking
taken by phone, the check-in on the day and mail to the participants. Each view
checks its permission, calls a service in courses.services.running (or
booking_create), and says on the date's page what happened, from the result."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.fields import LineField, TextField
from core.norwegian import count
from courses import forms as course_forms
from courses import selectors
from courses.admin.common import bookings, customer
from courses.models import Booking, CourseDate, CourseDateMessage, Participant
from courses.services import (
    BookingError,
    NotEnoughSeats,
    ParticipantDetails,
    booking_create,
    participants_phrase,
    running,
)
from outbox.services import email_render
from privacy.services.rights import is_restricted

# What each page or action needs; the Kurs group has all of them.
CAN_CHANGE_BOOKING = "courses.change_booking"
CAN_ADD_BOOKING = "courses.add_booking"
CAN_CHECK_IN = "courses.change_participant"
CAN_MESSAGE = "courses.add_coursedatemessage"


def require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def post_only(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


class MoveForm(forms.Form):
    to_date = forms.TypedChoiceField(
        label="Ny dato",
        coerce=int,
        error_messages={
            "required": "Velg datoen påmeldingen skal flyttes til.",
            "invalid_choice": "Velg en av datoene i listen.",
        },
    )
    participant = forms.TypedChoiceField(
        label="Hvem", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, booking: Booking, dates: list[CourseDate], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_date"].choices = [("", "Velg dato")] + [
            (date.pk, f"{date} – {date_seats(date)}") for date in dates
        ]
        people = list(booking.participants.all())
        self.fields["participant"].choices = [("", "Hele påmeldingen")] + (
            [(p.pk, str(p)) for p in people] if len(people) > 1 else []
        )


def date_seats(course_date: CourseDate) -> str:
    if course_date.is_full:
        return "fullt"
    return f"{count(course_date.seats_left, 'ledig plass', 'ledige plasser')}"


class SwapForm(course_forms.ParticipantForm):
    """The colleague who takes the place: the sign-up form's participant fields."""

    def __init__(self, *args, participant: Participant, **kwargs):
        super().__init__(*args, prefix=f"bytt-{participant.pk}", **kwargs)


class MessageForm(forms.Form):
    subject = LineField(
        label="Emne",
        max_length=150,
        required_message="Skriv et emne.",
    )
    body = TextField(
        label="Tekst",
        max_length=5000,
        required_message="Skriv hva e-posten skal si.",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Kursets navn, tid og sted legges til under teksten.",
    )


class CourseDateRunning:
    """Mixed into CourseDateAdmin: the pages and actions for running a date."""

    def running_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/pamelding/<int:booking_id>/",
                view(self.booking_page),
                name="courses_coursedate_booking",
            ),
            path(
                "<int:object_id>/pamelding/<int:booking_id>/send-bekreftelse/",
                view(self.resend_confirmation),
                name="courses_coursedate_resend",
            ),
            path(
                "<int:object_id>/pamelding/<int:booking_id>/flytt/",
                view(self.move_booking),
                name="courses_coursedate_move",
            ),
            path(
                "<int:object_id>/deltaker/<int:participant_id>/bytt/",
                view(self.swap_participant),
                name="courses_coursedate_swap",
            ),
            path(
                "<int:object_id>/ny-pamelding/",
                view(self.phone_booking),
                name="courses_coursedate_phone_booking",
            ),
            path(
                "<int:object_id>/innsjekking/",
                view(self.check_in),
                name="courses_coursedate_check_in",
            ),
            path(
                "<int:object_id>/e-post/",
                view(self.message_participants),
                name="courses_coursedate_message",
            ),
        ]

    # Shared ----------------------------------------------------------------

    def running_date(self, object_id) -> CourseDate:
        found = selectors.course_dates_with_seats(
            CourseDate.objects.filter(pk=object_id)
        ).first()
        if found is None:
            raise Http404
        return found

    def date_booking(self, course_date, booking_id) -> Booking:
        return get_object_or_404(
            Booking.objects.select_related("course_date__course").prefetch_related(
                "participants"
            ),
            pk=booking_id,
            course_date=course_date,
        )

    def back_to_date(self, course_date, anchor: str = "") -> HttpResponseRedirect:
        url = reverse("admin:courses_coursedate_overview", args=[course_date.pk])
        return HttpResponseRedirect(url + anchor)

    def running_page(self, request, template, course_date, title, **context):
        return TemplateResponse(
            request,
            f"admin/courses/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "course_date": course_date,
                "title": title,
                **context,
            },
        )

    # One booking -----------------------------------------------------------

    def booking_page(self, request, object_id, booking_id, **forms_shown):
        require(request, CAN_CHANGE_BOOKING)
        course_date = self.running_date(object_id)
        booking = self.date_booking(course_date, booking_id)
        participants = list(booking.participants.all())
        swaps = forms_shown.pop("swaps", {})
        return self.running_page(
            request,
            "course_date_booking.html",
            course_date,
            f"Påmelding {booking.pk}",
            booking=booking,
            customer=customer(booking),
            move_form=forms_shown.get("move_form")
            or MoveForm(
                booking=booking,
                dates=selectors.course_dates_to_move_to(booking=booking),
            ),
            swaps=[
                (person, swaps.get(person.pk) or SwapForm(participant=person))
                for person in participants
            ],
            can_swap=request.user.has_perm(CAN_CHECK_IN),
        )

    def resend_confirmation(self, request, object_id, booking_id):
        require(request, CAN_CHANGE_BOOKING)
        if refused := post_only(request):
            return refused
        course_date = self.running_date(object_id)
        booking = self.date_booking(course_date, booking_id)
        try:
            result = running.booking_confirmation_resend(
                booking_id=booking.pk, by=request.user
            )
        except BookingError as error:
            messages.error(request, f"Påmelding {booking.pk}: {error.message}")
            return self.back_to_date(course_date)
        what = (
            "Bekreftelsen"
            if booking.status == Booking.Status.CONFIRMED
            else "E-posten om plassen på ventelisten"
        )
        messages.success(
            request,
            f"{what} for påmelding {booking.pk} er lagt i kø til kontaktpersonen "
            f"{booking.full_name} ({booking.email}).",
        )
        if result.held_back:
            messages.warning(request, HELD_BACK)
        return self.back_to_date(course_date)

    def move_booking(self, request, object_id, booking_id):
        require(request, CAN_CHANGE_BOOKING)
        if refused := post_only(request):
            return refused
        course_date = self.running_date(object_id)
        booking = self.date_booking(course_date, booking_id)
        form = MoveForm(
            request.POST,
            booking=booking,
            dates=selectors.course_dates_to_move_to(booking=booking),
        )
        if not form.is_valid():
            return self.booking_page(request, object_id, booking_id, move_form=form)
        try:
            result = running.booking_move(
                booking_id=booking.pk,
                to_date_id=form.cleaned_data["to_date"],
                participant_id=form.cleaned_data["participant"],
                by=request.user,
            )
        except NotEnoughSeats as error:
            form.add_error("to_date", f"Ikke flyttet: {error.message}")
            return self.booking_page(request, object_id, booking_id, move_form=form)
        except BookingError as error:
            form.add_error(None, f"Ikke flyttet: {error.message}")
            return self.booking_page(request, object_id, booking_id, move_form=form)
        messages.success(request, move_told(result, from_date_id=course_date.pk))
        return self.back_to_date(course_date)

    def swap_participant(self, request, object_id, participant_id):
        require(request, CAN_CHECK_IN)
        if refused := post_only(request):
            return refused
        course_date = self.running_date(object_id)
        participant = get_object_or_404(
            Participant, pk=participant_id, booking__course_date=course_date
        )
        form = SwapForm(request.POST, participant=participant)
        if not form.is_valid():
            return self.booking_page(
                request,
                object_id,
                participant.booking_id,
                swaps={participant.pk: form},
            )
        try:
            result = running.participant_replace(
                participant_id=participant.pk,
                details=ParticipantDetails(**form.cleaned_data),
                by=request.user,
            )
        except BookingError as error:
            messages.error(request, error.message)
            return self.back_to_date(course_date)
        new = result.participant
        told = (
            f" {new} har fått e-post om plassen."
            if result.notified
            else " Ingen e-post er sendt: den nye deltakeren er kontaktpersonen."
        )
        messages.success(
            request,
            f"En deltaker på påmelding {new.booking_id} er byttet ut: nå står {new} "
            f"der.{told}",
        )
        return self.back_to_date(course_date)

    # A booking by phone ----------------------------------------------------

    def phone_booking(self, request, object_id):
        require(request, CAN_ADD_BOOKING)
        course_date = self.running_date(object_id)
        prefix = course_forms.PARTICIPANT_PREFIX
        if request.method != "POST":
            return self.phone_page(
                request,
                course_date,
                course_forms.PhoneSignupForm(),
                course_forms.ParticipantFormSet(prefix=prefix),
            )
        form = course_forms.PhoneSignupForm(request.POST)
        formset = course_forms.ParticipantFormSet(request.POST, prefix=prefix)
        if "add_participant" in request.POST:
            more = course_forms.ParticipantFormSet(
                initial=course_forms.formset_initial(formset, request.POST),
                rows=formset.total_form_count() + 1,
                prefix=prefix,
            )
            more.focus_new_row()
            initial = course_forms.form_initial(form, request.POST)
            return self.phone_page(
                request,
                course_date,
                course_forms.PhoneSignupForm(initial=initial),
                more,
            )
        if not (form.is_valid() and formset.is_valid()):
            return self.phone_page(request, course_date, form, formset)
        others = formset.participants()
        if problem := course_forms.count_problem(
            booker_attends=form.cleaned_data["booker_attends"], others=len(others)
        ):
            form.add_error("booker_attends", problem)
            return self.phone_page(request, course_date, form, formset)
        try:
            booking = booking_create(
                course_date_id=course_date.pk,
                details=form.signup_details(others),
                join_waitlist=form.cleaned_data["join_waitlist"],
                form_key=form.form_key(),
                by=request.user,
                confirmation_mail=form.cleaned_data["send_confirmation"],
            )
        except BookingError as error:
            form.add_error(None, f"Påmeldingen er ikke lagret: {error.message}")
            return self.phone_page(request, course_date, form, formset)
        messages.success(request, phone_booking_told(booking))
        if not form.cleaned_data["send_confirmation"]:
            messages.info(
                request, "Kontaktpersonen fikk ingen bekreftelse (valgt bort)."
            )
        return self.back_to_date(course_date)

    def phone_page(self, request, course_date, form, formset):
        return self.running_page(
            request,
            "course_date_phone_booking.html",
            course_date,
            "Ny påmelding (tatt på telefon)",
            form=form,
            formset=formset,
        )

    # The day ---------------------------------------------------------------

    def check_in(self, request, object_id):
        require(request, CAN_CHECK_IN)
        course_date = self.running_date(object_id)
        if request.method == "POST":
            participant_id = request.POST.get("deltaker", "")
            if not participant_id.isdigit():
                raise Http404
            try:
                participant = running.participant_arrival_set(
                    participant_id=int(participant_id),
                    course_date_id=course_date.pk,
                    arrived=request.POST.get("kom") == "ja",
                    by=request.user,
                )
            except Participant.DoesNotExist:
                raise Http404 from None
            url = reverse("admin:courses_coursedate_check_in", args=[course_date.pk])
            return HttpResponseRedirect(f"{url}#deltaker-{participant.pk}")
        participants = selectors.participants_for_check_in(course_date=course_date)
        arrived = sum(1 for p in participants if p.arrived_at)
        return self.running_page(
            request,
            "course_date_check_in.html",
            course_date,
            f"Innsjekking: {course_date}",
            participants=participants,
            arrived=f"{arrived} av {participants_phrase(len(participants))} har kommet",
        )

    # Mail to the participants ----------------------------------------------

    def message_participants(self, request, object_id):
        require(request, CAN_MESSAGE)
        course_date = self.running_date(object_id)
        addresses = selectors.confirmed_participant_addresses(course_date=course_date)
        if request.method != "POST":
            return self.message_page(request, course_date, MessageForm(), addresses)
        form = MessageForm(request.POST)
        if not form.is_valid() or "send" not in request.POST:
            # A dangerous action shows what will go, to whom, before it goes.
            preview = "preview" in request.POST
            return self.message_page(
                request, course_date, form, addresses, preview=preview
            )
        try:
            sent = running.course_date_message_send(
                course_date_id=course_date.pk,
                by=request.user,
                **form.cleaned_data,
            )
        except BookingError as error:
            form.add_error(None, error.message)
            return self.message_page(request, course_date, form, addresses)
        messages.success(request, message_told(sent))
        if sent.held_back:
            messages.warning(
                request,
                f"{count(sent.held_back, 'adresse', 'adresser')} er begrenset etter "
                "personvernreglene; e-posten dit holdes tilbake og sendes ikke.",
            )
        return self.back_to_date(course_date, "#e-post-til-deltakerne")

    def message_page(self, request, course_date, form, addresses, preview=False):
        rendered = None
        if preview and form.is_valid():
            draft = CourseDateMessage(course_date=course_date, **form.cleaned_data)
            rendered = email_render(
                to="", kind="", **running.participant_message(draft)
            )
        held_back = sum(1 for address in addresses if is_restricted(address))
        return self.running_page(
            request,
            "course_date_message.html",
            course_date,
            "Send e-post til deltakerne",
            form=form,
            preview=rendered,
            recipients=count(len(addresses), "adresse", "adresser"),
            held_back=held_back,
            held_back_phrase=count(held_back, "adresse", "adresser"),
        )


HELD_BACK = (
    "Adressen er begrenset etter personvernreglene, så e-posten holdes tilbake og "
    "sendes ikke før begrensningen er opphevet."
)


def move_told(result: running.Move, *, from_date_id: int) -> str:
    """What moving did, with both dates' seats as they are now."""
    moved = result.booking
    if result.split_from:
        what = (
            f"{moved.participants.get()} er flyttet fra påmelding "
            f"{result.split_from.pk} til en egen påmelding ({moved.pk})"
        )
    else:
        what = f"Påmelding {moved.pk} er flyttet"
    dates = selectors.course_dates_with_seats(
        CourseDate.objects.filter(pk__in=[from_date_id, moved.course_date_id])
    ).order_by("starts_at")
    seats = " ".join(f"{date}: {date.seats_summary}." for date in dates)
    told = f"{what} til {moved.course_date}. Nå: {seats}"
    if result.promoted:
        told += f" {bookings(len(result.promoted))} på ventelisten fikk plass."
    return f"{told} {count(result.mails, 'e-post', 'e-poster')} er lagt i kø."


def phone_booking_told(booking: Booking) -> str:
    status = (
        "bekreftet" if booking.status == Booking.Status.CONFIRMED else "på venteliste"
    )
    mails = selectors.booking_mails(booking=booking).count()
    return (
        f"Påmelding {booking.pk} er lagt inn: {participants_phrase(booking.seats)}, "
        f"{status}. {count(mails, 'e-post', 'e-poster')} er lagt i kø."
    )


def message_told(message: CourseDateMessage) -> str:
    return (
        f"E-posten «{message.subject}» er lagt i kø til de bekreftede deltakerne: "
        f"{count(message.recipients, 'adresse', 'adresser')}, én e-post til hver."
    )
