"""Staff's tools for courses: thin, every change of seats goes through services.

Registered from three modules: `dates` (courses, dates, seats, participant lists),
`bookings` (bookings, waitlist, invoicing) and `texts` (a course's texts and image
for the "Innhold" group).
"""

from courses.admin import bookings, dates, texts  # noqa: F401 (they register admins)
