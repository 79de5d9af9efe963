"""Norwegian date and time formats as Språkrådet writes them: "kl. 14.05", with a
full stop between hours and minutes. Everything not set here is Django's `nb`."""

TIME_FORMAT = "H.i"
DATETIME_FORMAT = r"j. F Y \k\l. H.i"
SHORT_DATETIME_FORMAT = r"d.m.Y \k\l. H.i"
