"""What the benchmark measures, shared by the modules that measure and report it.

Add a page to PAGES; a page that answers 404 (not built yet) is skipped with a note
in the table.
"""

HOME = "/"
PAGES = [HOME, "/helse/", "/kurs/", "/kontakt/", "/personvern/"]
# Share of the floor's req/s a page must reach (issue 17): the home page, and the
# pages with a form or a long text that visitors come to.
PAGE_GOALS = {HOME: 0.70, "/kontakt/": 0.25, "/personvern/": 0.25}
# Measured too, with this goal: the sign-up page of an open course date, found
# once the catalogue is seeded (bench/seed/catalogue.py).
SIGNUP_GOAL = 0.25
COURSE_LIST = "/kurs/"  # courses (issue 5): with a full catalogue, against HOME
STATIC_FILE = "css/site.css"  # served by whitenoise under its hashed name
CONSENT_MIDDLEWARE = "privacy.middleware.ConsentMiddleware"
# The consent middleware is measured on a page rendered for every request: the
# pages in the visitor page cache (home, course list, contact form, privacy
# statement) are answered before it runs.
CONSENT_PAGE = "/personvern/mine-data/"
# Lighthouse (bench/lighthouse.py) on these and on the page of the course whose
# sign-up page is measured, after /kurs/.
LIGHTHOUSE_PAGES = [HOME, "/kurs/", "/kontakt/", "/personvern/"]
ACCEPT_ENCODING = "br, gzip"  # what a browser sends
