from io import StringIO

from django.core.management import call_command

from pages import models


def test_seed_demo_fills_the_content_with_drawn_images_once(db, client):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    assert models.Person.objects.filter(photo__isnull=False).count() == 2
    assert models.Testimonial.objects.filter(is_published=True).count() == 3
    assert models.Question.objects.count() == 4
    assert models.Page.objects.get(key="forside").image is not None
    about = client.get("/om-oss/").content.decode()
    assert "Ingrid Solberg" in about
    course = client.get("/kurs/grunnkurs-i-glasoterapi/").content.decode()
    assert "Kursleder: Ingrid Solberg" in course
    assert '<h2 id="program">Program</h2>' in course
