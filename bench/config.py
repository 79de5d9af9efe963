"""What the benchmark measures, shared by the modules that measure and report it.

Add a page to PAGES; a page that answers 404 (not built yet) is skipped with a note
in the table.
"""

HOME = "/"
PAGES = [HOME, "/helse/", "/kurs/", "/kontakt/", "/personvern/"]
COURSE_LIST = "/kurs/"  # courses (issue 5): with a full catalogue, against HOME
STATIC_FILE = "css/site.css"  # served by whitenoise under its hashed name
CONSENT_MIDDLEWARE = "privacy.middleware.ConsentMiddleware"
# The consent middleware is measured on a page rendered for every request: the
# pages in the visitor page cache (home, course list) are answered before it runs.
CONSENT_PAGE = "/personvern/"
ACCEPT_ENCODING = "br, gzip"  # what a browser sends
