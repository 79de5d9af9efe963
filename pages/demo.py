"""Demo content for `manage.py seed_demo`: the home page's image, the people who
teach, testimonials (with consent recorded) and questions and answers. The pictures
are drawn here with Pillow (gradients and shapes); nothing is fetched.

Idempotent: each thing is made once, found again by its name.
"""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image as Pillow
from PIL import ImageDraw, ImageFilter

from pages import defaults
from pages.models import Image, Page, Person, Question, Testimonial
from pages.services import image_create

PEOPLE = [
    {
        "name": "Ingrid Solberg",
        "role": "Kursleder og glassterapeut",
        "bio": "Ingrid har arbeidet med glass i over femten år, først som "
        "glasskunstner og siden som terapeut. Hun holder grunnkurset og liker best "
        "når deltakerne får prøve selv.",
        "colours": ((32, 92, 115), (190, 226, 220)),
    },
    {
        "name": "Martin Aas",
        "role": "Foredragsholder, HMS og arbeidsmiljø",
        "bio": "Martin er sivilingeniør og har rådgitt norske bedrifter om trygg "
        "bruk av glass på arbeidsplassen. Han holder seminaret for ledere og "
        "verneombud.",
        "colours": ((96, 58, 110), (236, 208, 170)),
    },
]

TESTIMONIALS = [
    (
        "Endelig et kurs der vi fikk prøve alt selv. Jeg gikk hjem med både "
        "kunnskap og selvtillit.",
        "Kari Nordmann",
        "Kursdeltaker, Oslo",
    ),
    (
        "Seminaret ga oss et felles språk for hvordan vi jobber trygt med glass. "
        "Hele avdelingen har hatt nytte av det.",
        "Ola Hansen",
        "Verneombud, Trondheim",
    ),
    (
        "Nettkurset var kort og konkret, og det var lett å stille spørsmål underveis.",
        "Åse Berg",
        "",
    ),
]

QUESTIONS = [
    (
        "Trenger jeg forkunnskaper?",
        "Nei. Grunnkurset og nettkurset er laget for nybegynnere. Seminaret passer "
        "for ledere og verneombud uansett bakgrunn.",
    ),
    (
        "Hva skjer hvis kurset er fullt?",
        "Du kan stå på venteliste. Du betaler ingenting før du får plass, og vi gir "
        "beskjed på e-post med en gang en plass blir ledig.",
    ),
    (
        "Kan vi bestille et kurs for hele arbeidsplassen?",
        "Ja. [Skriv til oss](/kontakt/) hvor mange dere er og hvor dere holder til, "
        "så lager vi et forslag.",
    ),
    (
        "Hvordan avbestiller jeg?",
        "Bruk lenken i bekreftelsen på e-post. Fram til avbestillingsfristen er det "
        "gratis; se [kjøpsvilkårene](/kjopsvilkar/).",
    ),
]


def seed_demo() -> str:
    made = 0
    with transaction.atomic():
        # Made by a migration; made again here should a test or a person have
        # emptied the table.
        for key, texts in defaults.PAGES.items():
            Page.objects.get_or_create(key=key, defaults=texts)
        home = Page.objects.get(key=Page.Key.HOME)
        if home.image is None:
            home.image = demo_image(
                "Lys som faller gjennom farget glass i blått og grønt",
                size=(1600, 1000),
                colours=((22, 78, 99), (160, 214, 200)),
                seed=1,
            )
            home.save()
            made += 1
        for order, spec in enumerate(PEOPLE):
            if Person.objects.filter(name=spec["name"]).exists():
                continue
            Person.objects.create(
                name=spec["name"],
                role=spec["role"],
                bio=spec["bio"],
                order=order,
                photo=demo_portrait(spec["name"], colours=spec["colours"]),
            )
            made += 1
        for order, (quote, name, role) in enumerate(TESTIMONIALS):
            _, created = Testimonial.objects.get_or_create(
                name=name,
                defaults={
                    "quote": quote,
                    "role": role,
                    "consent_obtained": True,
                    "consent_note": "Demo: samtykke på e-post etter kurset",
                    "is_published": True,
                    "order": order,
                },
            )
            made += created
        for order, (question, answer) in enumerate(QUESTIONS):
            _, created = Question.objects.get_or_create(
                question=question, defaults={"answer": answer, "order": order}
            )
            made += created
    return f"{made} nye tekster og bilder."


def demo_image(alt: str, *, size, colours, seed: int) -> Image:
    """A diagonal gradient between two colours with soft, translucent shapes, like
    light through coloured glass."""
    width, height = size
    start, end = colours
    gradient = (
        Pillow.linear_gradient("L").resize((width, height)).rotate(-30, expand=False)
    )
    picture = Pillow.composite(
        Pillow.new("RGB", size, end), Pillow.new("RGB", size, start), gradient
    )
    shapes = Pillow.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(shapes)
    rng = random.Random(seed)  # the same picture every time: the same file names
    for _ in range(14):
        x, y = rng.randrange(width), rng.randrange(height)
        radius = rng.randrange(width // 20, width // 6)
        tint = tuple(rng.randrange(120, 256) for _ in range(3)) + (70,)
        if rng.random() < 0.5:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=tint)
        else:
            draw.polygon(
                [(x, y - radius), (x + radius, y + radius), (x - radius, y + radius)],
                fill=tint,
            )
    shapes = shapes.filter(ImageFilter.GaussianBlur(radius=max(2, width // 200)))
    picture = Pillow.alpha_composite(picture.convert("RGBA"), shapes).convert("RGB")
    return image_create(upload=as_upload(picture, f"demo-{seed}.jpg"), alt=alt)


def demo_portrait(name: str, *, colours) -> Image:
    """A stand-in for a photo: a head and shoulders in silhouette on a gradient."""
    size = 800
    start, end = colours
    picture = Pillow.composite(
        Pillow.new("RGB", (size, size), end),
        Pillow.new("RGB", (size, size), start),
        Pillow.linear_gradient("L").resize((size, size)),
    )
    draw = ImageDraw.Draw(picture)
    figure = tuple(max(0, c - 40) for c in start)
    draw.ellipse((280, 170, 520, 430), fill=figure)
    draw.ellipse((150, 470, 650, 980), fill=figure)
    return image_create(
        upload=as_upload(picture, "portrett.jpg"),
        alt=f"Illustrasjon i stedet for portrett av {name}",
    )


def as_upload(picture: Pillow.Image, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
