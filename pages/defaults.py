"""The pages' first texts: what the site said before staff could edit it. The
migration that makes the rows writes these, and `selectors.page_for` falls back
to them should a row be missing. Who sells (name, org.nr., address) is not here:
the purchase terms take it from the BUSINESS_* settings (ehandelsloven § 8)."""

HOME = {
    "heading": "Kurs og seminarer i glasoterapi",
    "introduction": (
        "Vi holder praktiske kurs og seminarer for fagfolk, bedrifter og alle som er "
        "nysgjerrige på glasoterapi – i små grupper, på stedet eller nettbasert."
    ),
    "body": "",
}

ABOUT = {
    "heading": "Om oss",
    "introduction": (
        "Vi er en liten norsk virksomhet som holder kurs og seminarer i glasoterapi."
    ),
    "body": (
        "Vi tar personvernet ditt på alvor: nettstedet laster ingenting fra andre "
        "før du selv har sagt ja, og du kan når som helst se og laste ned "
        "opplysningene nettstedet har om deg, og slette det vi ikke må ta vare på "
        "etter bokføringsloven."
    ),
}

PURCHASE_TERMS = {
    "heading": "Kjøpsvilkår for kurs og seminarer",
    "introduction": (
        "Dette gjelder når du melder deg eller andre på et kurs eller seminar hos oss."
    ),
    "body": """\
## Påmelding

Påmeldingen er gjort når du får bekreftelsen på skjermen og på e-post. Er kurset \
fullt, kan du stå på venteliste; da trenger vi bare navn og e-postadresse. Blir det \
ledig plass, holder vi den for deg i inntil 48 timer (aldri lenger enn til kurset \
starter) og sender deg en lenke der du bekrefter plassen og gir \
fakturaopplysningene. Svarer du ikke innen fristen, går plassen til den neste på \
ventelisten. Du betaler ingenting før du har bekreftet plassen.

## Pris og betaling

Prisen står ved hvert kurs, per deltaker og med merverdiavgift. Vi sender faktura \
etter påmeldingen, på e-post eller som EHF. Det du ser når du melder deg på, er \
prisen du betaler, også om vi senere endrer prisen på kurset.

## Avbestilling

Du kan avbestille gratis fram til avbestillingsfristen, som står på påmeldingssiden \
og i bekreftelsen. Bruk lenken i e-posten; da får plassen den som står først på \
ventelisten. Etter fristen er påmeldingen bindende, og vi fakturerer full pris, \
fordi vi da har bestilt lokale og materiell etter antallet. Du kan alltid sende en \
annen i ditt sted: gi oss beskjed om hvem.

Kurs som fritidsaktivitet på en bestemt dato gir ikke angrerett etter \
angrerettloven (§ 22). Avbestillingsretten over gjelder uansett, for alle som \
melder seg på.

## Hvis vi avlyser

Blir kurset avlyst, for eksempel fordi for få har meldt seg på, får du beskjed på \
e-post så snart vi vet det. Du betaler da ingenting, og har du betalt, får du \
pengene tilbake.

## Spørsmål og klage

Ta kontakt med oss på e-post eller via [kontaktskjemaet](/kontakt/). Kommer vi \
ikke til enighet, kan du som forbruker klage til \
[Forbrukertilsynet](https://www.forbrukertilsynet.no/) eller \
Forbrukerklageutvalget.

Hvordan vi behandler personopplysningene dine, står i \
[personvernerklæringen](/personvern/).
""",
}

PAGES = {"forside": HOME, "om-oss": ABOUT, "kjopsvilkar": PURCHASE_TERMS}
