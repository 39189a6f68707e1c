"""The demo content: the "Schat je schatje" campaign, its help-lines and the public sources behind it.

Dutch is the source language. French and English are translations written for the demo;
German is deliberately left untranslated so the API's language fallback can be seen.
Every source below is a real public document; no figure is added to the campaign's text.
"""

import datetime as dt
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SEED_FAQ_NL = CONTENT_DIR / "schat-je-schatje-faq.nl.txt"

HOME = {"nl": ("Baken", "baken"), "fr": ("Baken", "baken-fr"), "en": ("Baken", "baken-en")}

CAMPAIGN = {
    "slug": "schat-je-schatje",
    "translations": {
        "nl": {
            "title": "Schat je schatje",
            "summary": "Een campagne van Child Focus die voelbaar maakt dat seksuele uitbuiting van "
            "minderjarigen ook in ons eigen land kinderen ernstige schade toebrengt.",
            "key_date_label": "Europese dag voor de bescherming van kinderen tegen seksuele uitbuiting "
            "en seksueel misbruik",
        },
        "fr": {
            "title": "Schat je schatje",
            "summary": "Une campagne de Child Focus qui rend palpable le fait que l'exploitation "
            "sexuelle des mineurs cause aussi de graves dommages aux enfants dans notre propre pays.",
            "key_date_label": "Journée européenne pour la protection des enfants contre l'exploitation "
            "et les abus sexuels",
        },
        "en": {
            "title": "Schat je schatje",
            "summary": "A Child Focus campaign that makes tangible how the sexual exploitation of "
            "minors also seriously harms children in our own country.",
            "key_date_label": "European Day on the Protection of Children against Sexual Exploitation "
            "and Sexual Abuse",
        },
    },
    # 18 November, every year; first held in 2015.
    "key_date": dt.date(2015, 11, 18),
}

FAQ = {
    "nl": {"slug": "veelgestelde-vragen", "title": "Veelgestelde vragen", "path": SEED_FAQ_NL},
    "fr": {
        "slug": "questions-frequentes",
        "title": "Questions fréquentes",
        "path": CONTENT_DIR / "schat-je-schatje-faq.fr.txt",
    },
    "en": {
        "slug": "frequently-asked-questions",
        "title": "Frequently asked questions",
        "path": CONTENT_DIR / "schat-je-schatje-faq.en.txt",
    },
}

HELPLINES = [
    {
        "slug": "child-focus-116000",
        "organisation": "Child Focus",
        "is_free": True,
        "anonymous_possible": True,
        "available_24_7": True,
        "languages": ["nl", "fr"],
        "area_served": "BE",
        "contact_points": [("phone", "116000")],
        "translations": {
            "nl": {
                "name": "Hulplijn 116000",
                "description": "Dag en nacht gratis hulplijn voor slachtoffers van seksuele uitbuiting, "
                "hun naasten en derden die met feiten worden geconfronteerd.",
                "labels": ["Bel gratis 116000, dag en nacht"],
            },
            "fr": {
                "name": "Ligne d'aide 116000",
                "description": "Ligne d'aide gratuite, jour et nuit, pour les victimes d'exploitation "
                "sexuelle, leurs proches et les tiers confrontés à des faits.",
                "labels": ["Appelez gratuitement le 116000, jour et nuit"],
            },
            "en": {
                "name": "Helpline 116000",
                "description": "Free helpline, day and night, for victims of sexual exploitation, those "
                "close to them and anyone confronted with such facts.",
                "labels": ["Call 116000 free of charge, day and night"],
            },
        },
    },
    {
        "slug": "stopchildporno-be",
        "organisation": "Child Focus",
        "is_free": True,
        "anonymous_possible": True,
        "available_24_7": True,
        "languages": ["nl", "fr"],
        "area_served": "BE",
        "contact_points": [("web_form", "https://www.stopchildporno.be")],
        "translations": {
            "nl": {
                "name": "Meldpunt stopchildporno.be",
                "description": "Burgerlijk meldpunt waar wie met beelden van seksueel misbruik van "
                "kinderen wordt geconfronteerd, desgewenst anoniem een melding kan maken.",
                "labels": ["Meld anoniem via www.stopchildporno.be"],
            },
            "fr": {
                "name": "Point de signalement stopchildporno.be",
                "description": "Point de signalement citoyen où toute personne confrontée à des images "
                "d'abus sexuels d'enfants peut faire un signalement, anonyme si elle le souhaite.",
                "labels": ["Signalez anonymement sur www.stopchildporno.be"],
            },
            "en": {
                "name": "Reporting point stopchildporno.be",
                "description": "Civil reporting point where anyone confronted with images of child sexual "
                "abuse can make a report, anonymously if they wish.",
                "labels": ["Report anonymously at www.stopchildporno.be"],
            },
        },
    },
    {
        "slug": "child-focus-e-mail",
        "organisation": "Child Focus",
        "is_free": True,
        "anonymous_possible": False,
        "available_24_7": True,
        "languages": ["nl", "fr"],
        "area_served": "BE",
        "contact_points": [("email", "116000@childfocus.org")],
        "translations": {
            "nl": {
                "name": "E-mail 116000@childfocus.org",
                "description": "Meld een feit of stel een vraag per e-mail; alle meldingen worden "
                "vertrouwelijk behandeld.",
                "labels": ["Mail naar 116000@childfocus.org"],
            },
            "fr": {
                "name": "E-mail 116000@childfocus.org",
                "description": "Signalez un fait ou posez une question par e-mail ; tous les "
                "signalements sont traités de manière confidentielle.",
                "labels": ["Écrivez à 116000@childfocus.org"],
            },
            "en": {
                "name": "E-mail 116000@childfocus.org",
                "description": "Report something or ask a question by e-mail; every report is treated "
                "confidentially.",
                "labels": ["E-mail 116000@childfocus.org"],
            },
        },
    },
]

CITATIONS = [
    {
        "key": "lanzarote-convention",
        "organisation": "Council of Europe",
        "publisher": "Council of Europe",
        "citation_type": "legislation",
        "url": "https://www.coe.int/en/web/conventions/full-list?module=treaty-detail&treatynum=201",
        "publication_date": dt.date(2007, 10, 25),
        "translations": {
            "nl": {
                "title": "Verdrag van de Raad van Europa inzake de bescherming van kinderen tegen "
                "seksuele uitbuiting en seksueel misbruik (Verdrag van Lanzarote, CETS nr. 201)",
                "language": "en",
            },
            "fr": {
                "title": "Convention du Conseil de l'Europe sur la protection des enfants contre "
                "l'exploitation et les abus sexuels (Convention de Lanzarote, STCE n° 201)",
                "language": "en",
            },
            "en": {
                "title": "Council of Europe Convention on the Protection of Children against Sexual "
                "Exploitation and Sexual Abuse (Lanzarote Convention, CETS No. 201)",
                "language": "en",
            },
        },
    },
    {
        "key": "directive-2011-93-eu",
        "organisation": "European Parliament and Council of the European Union",
        "publisher": "Official Journal of the European Union, L 335, 17.12.2011, p. 1–14",
        "citation_type": "legislation",
        "url": "https://eur-lex.europa.eu/eli/dir/2011/93/oj",
        "publication_date": dt.date(2011, 12, 13),
        "translations": {
            "nl": {
                "title": "Richtlijn 2011/93/EU ter bestrijding van seksueel misbruik en seksuele "
                "uitbuiting van kinderen en kinderpornografie",
                "language": "nl",
            },
            "fr": {
                "title": "Directive 2011/93/UE relative à la lutte contre les abus sexuels et "
                "l'exploitation sexuelle des enfants, ainsi que la pédopornographie",
                "language": "fr",
            },
            "en": {
                "title": "Directive 2011/93/EU on combating the sexual abuse and sexual exploitation "
                "of children and child pornography",
                "language": "en",
            },
        },
    },
    {
        "key": "optional-protocol-crc-sale-of-children",
        "organisation": "United Nations General Assembly",
        "publisher": "Office of the United Nations High Commissioner for Human Rights",
        "citation_type": "legislation",
        "url": "https://www.ohchr.org/en/instruments-mechanisms/instruments/"
        "optional-protocol-convention-rights-child-sale-children-child",
        "publication_date": dt.date(2000, 5, 25),
        "translations": {
            "nl": {
                "title": "Facultatief Protocol bij het Verdrag inzake de rechten van het kind inzake de "
                "verkoop van kinderen, kinderprostitutie en kinderpornografie",
                "language": "en",
            },
            "fr": {
                "title": "Protocole facultatif à la Convention relative aux droits de l'enfant, "
                "concernant la vente d'enfants, la prostitution des enfants et la pornographie "
                "mettant en scène des enfants",
                "language": "en",
            },
            "en": {
                "title": "Optional Protocol to the Convention on the Rights of the Child on the sale of "
                "children, child prostitution and child pornography",
                "language": "en",
            },
        },
    },
]

# Which help-lines and sources each question shows, by its position in the FAQ (0-based),
# chosen from what the question's answer mentions.
QUESTION_LINKS = {
    3: {"helplines": ["child-focus-116000", "stopchildporno-be"], "citations": []},
    4: {"helplines": [], "citations": ["lanzarote-convention", "directive-2011-93-eu"]},
    5: {
        "helplines": ["child-focus-116000", "stopchildporno-be", "child-focus-e-mail"],
        "citations": [],
    },
}
