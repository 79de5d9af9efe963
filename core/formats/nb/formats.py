"""Norwegian date and time formats as Språkrådet writes them: "kl. 14.05", with a
full stop between hours and minutes. Everything not set here is Django's `nb`.

The first input format is the one the admin's widgets show a value in (and its
calendar and "Nå" button write), so it is the lists' own: "05.01.2027" and "12.00",
not Django's ISO "2027-01-05" and "12:00:00". ISO and "14:05" are still taken."""

from django.conf.locale.nb import formats as django_nb

TIME_FORMAT = "H.i"
DATETIME_FORMAT = r"j. F Y \k\l. H.i"
SHORT_DATETIME_FORMAT = r"d.m.Y \k\l. H.i"

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # '25.10.2006'
    *(f for f in django_nb.DATE_INPUT_FORMATS if f != "%d.%m.%Y"),
]
TIME_INPUT_FORMATS = ["%H.%M", "%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H.%M",  # '25.10.2006 14.30'
    "%Y-%m-%d %H.%M",  # '2006-10-25 14.30'
    *django_nb.DATETIME_INPUT_FORMATS,
]
