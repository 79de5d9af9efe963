"""sitemap.xml for search engines: the site's public pages and each published
course. Nothing personal, and nothing behind a login or a link in a mail."""

from django.contrib.sitemaps import Sitemap

from courses.models import Course

PUBLIC_PAGES = [
    "/",
    "/kurs/",
    "/om-oss/",
    "/kontakt/",
    "/nyhetsbrev/",
    "/kjopsvilkar/",
    "/personvern/",
]


class PagesSitemap(Sitemap):
    def items(self):
        return PUBLIC_PAGES

    def location(self, item):
        return item


class CoursesSitemap(Sitemap):
    def items(self):
        return Course.objects.filter(is_published=True).order_by("slug")


SITEMAPS = {"sider": PagesSitemap, "kurs": CoursesSitemap}
