"""Norwegian date and time formats as Språkrådet writes them: "kl. 14.05", with a
full stop between hours and minutes. Everything not set here is Django's `nb`.

Input takes both "14.05" and "14:05"; the first input format stays Django's, since
the admin's widgets and its "Nå" button write values in it."""

from django.conf.locale.nb import formats as django_nb

TIME_FORMAT = "H.i"
DATETIME_FORMAT = r"j. F Y \k\l. H.i"
SHORT_DATETIME_FORMAT = r"d.m.Y \k\l. H.i"

TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M", "%H.%M"]
DATETIME_INPUT_FORMATS = [
    *django_nb.DATETIME_INPUT_FORMATS,
    "%Y-%m-%d %H.%M",  # '2006-10-25 14.30'
    "%d.%m.%Y %H.%M",  # '25.10.2006 14.30'
]
