"""Staff's tools for courses: thin, every change of seats goes through services.

Registered from two modules: `dates` (courses, dates, seats, participant lists) and
`bookings` (bookings, waitlist, invoicing).
"""

from courses.admin import bookings, dates  # noqa: F401 (they register the admins)
