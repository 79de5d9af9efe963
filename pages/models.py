"""The site's own texts and images, which staff in the "Innhold" group edit: the
home page, "Om oss", the purchase terms, the people who teach, testimonials and
questions and answers. Texts are Markdown (pages/markup.py renders them safely);
images are kept only as resized variants under names made from their content
(pages/images.py)."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

MARKDOWN_HELP = (
    "Vanlig tekst. Tom linje gir nytt avsnitt; **fet**, *kursiv*, [lenke](https://…), "
    "«- » først på linjen gir punktliste og «## » en mellomoverskrift."
)


class Image(models.Model):
    """A picture staff uploaded: its variants (480, 960 and 1600 px wide, WebP and
    JPEG) are stored as `bilder/<key>-<width>.<webp|jpg>`; the upload itself, with
    its file name and metadata, is not kept."""

    key = models.CharField("nøkkel", max_length=64, editable=False, db_index=True)
    alt = models.CharField(
        "alternativ tekst",
        max_length=250,
        help_text="Hva bildet viser, for den som ikke ser det (skjermleser). "
        "For eksempel «Kursdeltakere ved et langbord med glassbiter».",
    )
    width = models.PositiveIntegerField("bredde", editable=False)
    height = models.PositiveIntegerField("høyde", editable=False)
    widths = models.JSONField("varianter", default=list, editable=False)
    created_at = models.DateTimeField("lastet opp", auto_now_add=True)

    class Meta:
        verbose_name = "bilde"
        verbose_name_plural = "bilder"
        ordering = ["-created_at"]

    def __str__(self):
        return self.alt

    def variant_name(self, width: int, extension: str) -> str:
        return f"bilder/{self.key}-{width}.{extension}"

    def height_at(self, width: int) -> int:
        return round(self.height * width / self.width)


def optional_image() -> models.ForeignKey:
    """An image a page, a person or a course may show: left empty when the image
    is deleted."""
    return models.ForeignKey(
        Image,
        verbose_name="bilde",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class Page(models.Model):
    """One of the site's pages whose text staff edit; the rows are made by a
    migration (pages/defaults.py) and never added or deleted."""

    class Key(models.TextChoices):
        HOME = "forside", "Forsiden"
        ABOUT = "om-oss", "Om oss"
        PURCHASE_TERMS = "kjopsvilkar", "Kjøpsvilkår"

    key = models.CharField("side", max_length=20, choices=Key, unique=True)
    heading = models.CharField("overskrift", max_length=120)
    introduction = models.TextField(
        "ingress", blank=True, help_text="Et kort avsnitt under overskriften."
    )
    body = models.TextField("tekst", blank=True, help_text=MARKDOWN_HELP)
    image = optional_image()
    updated_at = models.DateTimeField("sist endret", auto_now=True)

    class Meta:
        verbose_name = "side"
        verbose_name_plural = "sider"
        ordering = ["key"]

    def __str__(self):
        return self.get_key_display()


class Ordered(models.Model):
    order = models.PositiveSmallIntegerField(
        "rekkefølge", default=0, help_text="Lavest først."
    )
    is_published = models.BooleanField("publisert", default=True)

    class Meta:
        abstract = True


class Person(Ordered):
    """Someone who teaches: shown on "Om oss" and on their courses' pages."""

    name = models.CharField("navn", max_length=120)
    role = models.CharField(
        "rolle", max_length=120, blank=True, help_text="For eksempel «Kursleder»."
    )
    bio = models.TextField("kort omtale", help_text=MARKDOWN_HELP)
    photo = optional_image()
    email = models.EmailField(
        "e-postadresse",
        blank=True,
        help_text="Vises ikke. Slik finner vi omtalen hvis personen ber om innsyn "
        "eller sletting.",
    )
    created_at = models.DateTimeField("opprettet", auto_now_add=True)

    class Meta:
        verbose_name = "person som underviser"
        verbose_name_plural = "personer som underviser"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Testimonial(Ordered):
    """What a participant said about a course, shown with their name only with
    their consent (GDPR art. 6(1)(a)); pages/privacy.py declares it."""

    quote = models.TextField("sitat", validators=[MaxLengthValidator(600)])
    name = models.CharField("navn", max_length=120)
    role = models.CharField(
        "rolle eller sted",
        max_length=120,
        blank=True,
        help_text="Valgfritt, for eksempel «Kursdeltaker, Bergen».",
    )
    email = models.EmailField(
        "e-postadresse",
        blank=True,
        help_text="Vises ikke. Slik finner vi sitatet hvis personen ber om innsyn "
        "eller sletting.",
    )
    consent_obtained = models.BooleanField(
        "samtykke innhentet",
        default=False,
        help_text="Personen har sagt ja til at sitatet vises med navn på "
        "nettstedet. Uten samtykke kan sitatet ikke publiseres.",
    )
    consent_note = models.CharField(
        "hvordan samtykket ble gitt",
        max_length=200,
        blank=True,
        help_text="For eksempel «Svar på e-post 3. mars 2026». Vi må kunne vise at "
        "samtykket er gitt (personvernforordningen artikkel 7 nr. 1).",
    )
    is_published = models.BooleanField("publisert", default=False)
    created_at = models.DateTimeField("opprettet", auto_now_add=True)

    class Meta:
        verbose_name = "omtale fra deltaker"
        verbose_name_plural = "omtaler fra deltakere"
        ordering = ["order", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(consent_obtained=True),
                name="testimonial_published_with_consent",
                violation_error_message="En omtale kan bare publiseres når "
                "samtykke er innhentet.",
            )
        ]

    def __str__(self):
        return self.name


class Question(Ordered):
    """A question visitors often ask, with its answer, on "Om oss"."""

    question = models.CharField("spørsmål", max_length=200)
    answer = models.TextField("svar", help_text=MARKDOWN_HELP)

    class Meta:
        verbose_name = "spørsmål og svar"
        verbose_name_plural = "spørsmål og svar"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.question
