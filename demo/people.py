"""The demo brand's forums and the people who post in them."""

from accounts import roles
from demo.specs import ForumSpec, Person

# Public on purpose: shown in `manage.py seed_demo --help` and printed after seeding.
DEMO_PASSWORD = "peerdesk-demo"  # noqa: S105


FORUMS = (
    ForumSpec(
        "mobilfunk",
        "Mobilfunk",
        "Netz, Empfang, Roaming, eSIM und Tarife unterwegs. Network coverage, roaming, "
        "eSIM and mobile plans.",
        0.34,
    ),
    ForumSpec(
        "internet-tv",
        "Internet & TV",
        "DSL, Glasfaser und Kabel, WLAN und Router, Telefonie und TV. Broadband, fibre, "
        "Wi-Fi, routers, landline and TV.",
        0.30,
    ),
    ForumSpec(
        "rechnung-vertrag",
        "Rechnung & Vertrag",
        "Rechnung verstehen, Tarif wechseln, Umzug, Kündigung und Kundenkonto. Bills, "
        "contracts, moving house and your customer account.",
        0.20,
    ),
    ForumSpec(
        "geraete-zubehoer",
        "Geräte & Zubehör",
        "Smartphones, Router, Repeater und TV-Boxen einrichten. Setting up phones, "
        "routers, repeaters and TV boxes.",
        0.11,
    ),
    ForumSpec(
        "community-treff",
        "Community-Treff",
        "Neuigkeiten, Vorstellungsrunde und alles rund um die Community. News, "
        "introductions and everything about this community.",
        0.05,
    ),
)

STAFF = (
    Person("admin", "Peerdesk Admin", superuser=True),
    Person("julia.support", "Julia - Wolkenfunk Support", roles.SUPPORT_LEADS),
    Person("markus.support", "Markus - Wolkenfunk Support", roles.SUPPORT_LEADS),
    Person("carla.mod", "Carla - Moderation", roles.MODERATORS),
    Person("stefan.cm", "Stefan - Community Manager", roles.COMMUNITY_MANAGERS),
)

MEMBERS = (
    Person("anna", "Anna K."),
    Person("jonas", "Jonas_B"),
    Person("mareike", "Mareike aus Köln"),
    Person("tom", "TechnikTom"),
    Person("rudi", "router_rudi"),
    Person("nadine", "Nadine W."),
    Person("lukas", "Lukas89"),
    Person("eva", "Eva Schmitt"),
    Person("kaiuwe", "Kai-Uwe"),
    Person("mehmet", "Mehmet Y."),
    Person("aylin", "Aylin_S"),
    Person("helga", "Helga 62"),
    Person("bernd", "Bernd vom Land"),
    Person("sophie", "Sophie L."),
    Person("daniel", "Daniel from Dublin"),
    Person("sarah", "Sarah_M"),
    Person("priya", "Priya S."),
    Person("marco", "Marco R."),
    Person("olga", "Olga_K"),
    Person("felix", "FelixFiber"),
)

PEOPLE = {p.handle: p for p in STAFF + MEMBERS}

# Members who linked their customer account, so the demo shows payouts.
CUSTOMER_NUMBERS = {"anna": "WF10000017", "tom": "WF10000042", "rudi": "WF10000055"}
# Members who did not consent to leaderboards: the demo shows they are left out.
NOT_ON_LEADERBOARDS = {"helga", "bernd"}
