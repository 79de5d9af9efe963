"""The record of processing activities (GDPR art. 30), from the declarations."""

from django.conf import settings

from core.business import business
from privacy.registry import GOOGLE_ANALYTICS, CookieCategory, registry


def ropa_markdown() -> str:
    controller = business()
    lines = [
        "# Protokoll over behandlingsaktiviteter",
        "",
        # GDPR art. 30(1)(a): the controller's name and contact details.
        f"Behandlingsansvarlig: {controller.identity}",
        f"Kontakt: e-post {controller.email}, telefon {controller.phone}",
        f"Databehandler: {settings.PRIVACY_DATA_PROCESSOR}",
        f"Versjon av personvernerklæringen: {settings.PRIVACY_POLICY_VERSION}",
        "",
    ]
    for processing in sorted(registry.processings, key=lambda p: p.key):
        lines += [
            f"## {processing.purpose}",
            "",
            f"- Nøkkel: `{processing.key}`",
            f"- Behandlingsgrunnlag: {processing.legal_basis.label} "
            f"({processing.legal_basis.citation}). {processing.legal_basis_reason}",
            f"- Registrerte: {processing.data_subjects}",
            f"- Personopplysninger: {', '.join(processing.data_categories)}",
            f"- Kilde: {processing.source}",
            f"- Mottakere: {processing.recipients_text}",
            f"- Overføring til tredjeland: {processing.transfers}",
            f"- Lagringstid: {processing.retention.text}",
            f"- Sletting: {erasure_text(processing)}",
            f"- Lagret i: `{processing.model._meta.label}`",
            "",
        ]
    lines += ["## Informasjonskapsler", ""]
    for cookie in registry.cookies:
        lines.append(
            f"- `{cookie.display_name}` ({cookie.category.label.lower()}, "
            f"{cookie.provider}, {cookie.duration}): {cookie.purpose}"
        )
    lines += analytics_entry()
    lines += [
        "",
        "## Sikkerhetstiltak",
        "",
        "- HTTPS med HSTS, streng Content-Security-Policy, CSRF-vern på alle skjemaer",
        "- Ansatte får tilgang etter rolle (grupper) i administrasjonen",
        "- Ingen personopplysninger i logger eller nettadresser",
        "- Automatisk sletting etter lagringstiden (`manage.py enforce_retention`)",
        "",
    ]
    return "\n".join(lines)


def analytics_entry() -> list[str]:
    """Statistics kept by Google, not by us: an activity of its own all the same
    (GDPR art. 30(1)), declared by its cookies and its recipient."""
    cookies = registry.cookies_in(CookieCategory.STATISTICS)
    if not (cookies and settings.GA_MEASUREMENT_ID):
        return []
    google = GOOGLE_ANALYTICS
    return [
        "",
        "## Statistikk over bruken av nettstedet (Google Analytics 4)",
        "",
        "- Behandlingsgrunnlag: Samtykke (personvernforordningen artikkel 6 nr. 1 "
        "bokstav a; ekomloven § 3-15), gitt og trukket tilbake i banneret",
        "- Registrerte: Besøkende som sier ja til statistikk",
        "- Personopplysninger: tilfeldig besøks-id i informasjonskapslene "
        f"{', '.join(f'`{c.display_name}`' for c in cookies)}, sidene som besøkes, "
        "nettleser, omtrentlig sted (IP-adressen lagres ikke)",
        f"- Mottakere: {google.text}",
        f"- Overføring til tredjeland: {google.name}: {google.transfer}",
        f"- Lagringstid: {settings.GA_DATA_RETENTION_MONTHS} måneder hos Google "
        "(innstillingen i Google Analytics); informasjonskapslene slettes ved nei",
    ]


def erasure_text(processing) -> str:
    if processing.erasure.replacements:
        fields = ", ".join(processing.erasure.replacements)
        text = f"anonymiseres ({fields})"
    else:
        text = "slettes"
    if processing.legal_hold:
        text += "; holdes tilbake ved krav om sletting til lagringstiden er ute"
    return text
