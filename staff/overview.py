"""The staff overview: what needs doing, one panel per job, each shown to the staff
who may act on it (pretix's dashboard). One query per panel, whatever the amount of
data; the queries are the apps' selectors."""

from django.template.response import TemplateResponse
from django.utils import timezone

from contact.selectors import inquiries_open
from core.jobs import jobs_status
from courses.selectors import bookings_to_invoice, course_dates_for_staff
from glasoterapi.health import outbox_part

PANEL_ROWS = 20


def overview(request, *, admin_site):
    user = request.user
    panels = {}
    if user.has_perm("courses.view_coursedate"):
        panels["dates"] = course_dates_for_staff(limit=PANEL_ROWS)
    if user.has_perm("courses.view_booking"):
        panels["to_invoice"] = bookings_to_invoice(limit=PANEL_ROWS)
    if user.has_perm("contact.view_inquiry"):
        panels["inquiries"] = inquiries_open(limit=PANEL_ROWS)
    if user.has_perm("privacy.view_jobrun"):
        now = timezone.now()
        panels["jobs"] = jobs_status(now=now)
        # What /helse/ says of the outbox: the mail job may never have succeeded.
        outbox = outbox_part(now)
        panels["mail_waiting"] = None if outbox["ok"] else outbox
    return TemplateResponse(
        request,
        "staff/overview.html",
        {
            **admin_site.each_context(request),
            "title": "Oversikt",
            "panel_rows": PANEL_ROWS,
            **panels,
        },
    )
