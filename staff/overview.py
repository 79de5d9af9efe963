"""The staff overview: what needs doing, one panel per job, each shown to the staff
who may act on it (pretix's dashboard). One query per panel, whatever the amount of
data; the queries are the apps' selectors."""

from django.template.response import TemplateResponse
from django.utils import timezone

from contact.selectors import inquiries_open
from core.jobs import jobs_status
from courses.selectors import (
    bookings_to_invoice,
    course_dates_for_staff,
    revenue_by_month_and_date,
)
from outbox.services import outbox_status
from privacy.selectors import DEADLINE_NOTICE, requests_near_deadline
from staff.charts import revenue_chart

PANEL_ROWS = 20


def overview(request, *, admin_site):
    user = request.user
    now = timezone.now()
    panels = {}
    if user.has_perm("courses.view_coursedate"):
        panels["dates"] = course_dates_for_staff(limit=PANEL_ROWS)
    if user.has_perm("courses.view_booking"):
        panels["to_invoice"] = bookings_to_invoice(limit=PANEL_ROWS)
    if user.has_perm("contact.view_inquiry"):
        panels["inquiries"] = inquiries_open(limit=PANEL_ROWS)
    # Revenue is for those who invoice (mark bookings invoiced), not for every
    # group that may look up a booking.
    if user.has_perm("courses.change_booking"):
        panels["revenue"] = revenue_by_month_and_date(now=now)
        panels["revenue_chart"] = revenue_chart(panels["revenue"].months)
    if user.has_perm("privacy.change_datasubjectrequest"):
        panels["requests_due"] = requests_near_deadline(now=now, limit=PANEL_ROWS)
        panels["notice_days"] = DEADLINE_NOTICE.days
    if user.has_perm("privacy.view_jobrun"):
        panels["jobs"] = jobs_status(now=now)
        # What /helse/ says of the outbox: the mail job may never have succeeded.
        outbox = outbox_status(now=now)
        panels["mail_waiting"] = None if outbox["ok"] else outbox
    return TemplateResponse(
        request,
        "staff/overview.html",
        {
            **admin_site.each_context(request),
            "title": "Oversikt",
            "panel_rows": PANEL_ROWS,
            "now": now,
            **panels,
        },
    )
