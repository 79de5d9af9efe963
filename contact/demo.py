"""Demo inquiries in each state, for local development. Idempotent."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from contact.models import Inquiry, InquiryNote

Status = Inquiry.Status

DEMO_INQUIRIES = [
    {
        "first_name": "Kari",
        "last_name": "Nordmann",
        "email": "kari.nordmann@example.no",
        "phone": "+4791234567",
        "company": "Bodø kommune",
        "message": "Hei! Kan dere holde et kurs for 12 ansatte i Bodø i vår?",
        "status": Status.NEW,
        "days_ago": 1,
        "notes": [],
    },
    {
        "first_name": "Åse",
        "last_name": "Ørjasæter",
        "email": "ase.orjasaeter@example.no",
        "phone": "+4741234567",
        "company": "Glassverkstedet AS",
        "message": "Vi lurer på pris for et heldagsseminar. Er det mulig i juni?",
        "status": Status.IN_PROGRESS,
        "days_ago": 4,
        "notes": ["Ringte, avtalte å sende tilbud innen fredag."],
    },
    {
        "first_name": "Per",
        "last_name": "Hansen",
        "email": "per.hansen@example.no",
        "phone": "+46701234567",
        "company": "",
        "message": "Finnes det nettbaserte kurs?",
        "status": Status.ANSWERED,
        "days_ago": 12,
        "notes": ["Svarte på e-post med lenke til kurskalenderen."],
    },
    {
        "first_name": "Ingrid",
        "last_name": "Lie",
        "email": "ingrid.lie@example.no",
        "phone": "+4722123456",
        "company": "Lie Design",
        "message": "Takk for sist! Har dere kursbevis etter kurset?",
        "status": Status.CLOSED,
        "days_ago": 40,
        "notes": ["Svarte ja.", "Ingen videre oppfølging."],
    },
]


@transaction.atomic
def seed_demo() -> str:
    now = timezone.now()
    created = 0
    for demo in DEMO_INQUIRIES:
        fields = {k: v for k, v in demo.items() if k not in ("days_ago", "notes")}
        received = now - timedelta(days=demo["days_ago"])
        inquiry, is_new = Inquiry.objects.get_or_create(
            email=demo["email"],
            defaults={
                **fields,
                "created_at": received,
                "closed_at": received + timedelta(days=2)
                if demo["status"] == Status.CLOSED
                else None,
            },
        )
        if is_new:
            created += 1
            for text in demo["notes"]:
                InquiryNote.objects.create(inquiry=inquiry, text=text)
    return f"{created} nye henvendelser ({len(DEMO_INQUIRIES)} i alt)"
