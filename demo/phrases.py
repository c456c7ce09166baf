"""Text pools for the bulk generator: titles are combined per row, bodies come
from a small set of templates so each distinct text is rendered only once."""

# ruff: noqa: RUF001 - the en dash is German typography, not a confusable hyphen

# Per forum and language: what questions are about. A title is "<topic> <context>".
TOPICS = {
    "mobilfunk": {
        "de": (
            "Kein Netz im Büro",
            "eSIM lässt sich nicht aktivieren",
            "Datenvolumen viel zu schnell verbraucht",
            "Roaming funktioniert nicht",
            "Anrufe brechen nach 30 Sekunden ab",
            "SMS kommen verspätet an",
            "5G wird nicht angezeigt",
            "Mailbox lässt sich nicht abhören",
        ),
        "en": (
            "No signal at the office",
            "eSIM will not activate",
            "Data allowance used up far too fast",
            "Roaming does not connect",
            "Calls drop after 30 seconds",
            "Text messages arrive late",
            "No 5G icon",
            "Cannot reach my voicemail",
        ),
    },
    "internet-tv": {
        "de": (
            "WLAN bricht ständig ab",
            "Internet langsamer als gebucht",
            "DSL-Synchronisation geht verloren",
            "IPTV friert ein",
            "Festnetztelefon ohne Freizeichen",
            "Router bekommt keine IPv4-Adresse",
            "Hohe Ping-Zeiten beim Zocken",
            "Glasfaser-Modem zeigt rote LED",
        ),
        "en": (
            "Wi-Fi keeps dropping",
            "Broadband slower than my plan",
            "DSL keeps losing sync",
            "TV stream freezes",
            "No dial tone on the landline",
            "Router gets no IPv4 address",
            "High ping while gaming",
            "Fibre modem shows a red light",
        ),
    },
    "rechnung-vertrag": {
        "de": (
            "Rechnung höher als sonst",
            "Lastschrift doppelt abgebucht",
            "Tarifwechsel wird nicht übernommen",
            "Kündigungsbestätigung fehlt",
            "Umzug wird nicht bearbeitet",
            "Gutschrift nicht auf der Rechnung",
            "Rufnummernmitnahme hängt",
            "Mahnung trotz Zahlung",
        ),
        "en": (
            "Bill higher than usual",
            "Charged twice this month",
            "Plan change not applied",
            "No cancellation confirmation",
            "Moving house request stuck",
            "Credit missing from my bill",
            "Number transfer stuck",
            "Reminder letter although I paid",
        ),
    },
    "geraete-zubehoer": {
        "de": (
            "Repeater verbindet sich nicht",
            "TV-Box startet neu",
            "Smartphone lädt nicht mehr",
            "Mesh verteilt die Geräte falsch",
            "Router-Update schlägt fehl",
            "Smartwatch ohne Mobilfunk",
            "Powerline-Adapter langsam",
            "Fernbedienung reagiert nicht",
        ),
        "en": (
            "Repeater will not connect",
            "TV box keeps restarting",
            "Phone stopped charging",
            "Mesh puts devices on the wrong node",
            "Router update fails",
            "Smartwatch has no mobile data",
            "Powerline adapters are slow",
            "Remote control not responding",
        ),
    },
    "community-treff": {
        "de": (
            "Frage zu den Community-Punkten",
            "Vorschlag für ein neues Forum",
            "Wie bekomme ich den nächsten Rang",
            "Treffen der Community-Helfer",
        ),
        "en": (
            "Question about community points",
            "Idea for a new forum",
            "How do I reach the next rank",
            "Meet-up of community helpers",
        ),
    },
}

CONTEXTS = {
    "de": (
        "seit dem letzten Update",
        "nach dem Umzug",
        "mit der FRITZ!Box 7530",
        "seit gestern Abend",
        "im Homeoffice",
        "mit dem iPhone 14",
        "nur am Wochenende",
        "trotz Neustart",
        "auf dem Galaxy S22",
        "seit dem Tarifwechsel",
    ),
    "en": (
        "since the last update",
        "after moving house",
        "with the Homebox 3",
        "since last night",
        "when working from home",
        "on my iPhone 14",
        "only at weekends",
        "even after a restart",
        "on a Galaxy S22",
        "since changing plans",
    ),
}

TAGS = {
    "mobilfunk": ("netz", "esim", "roaming", "datenvolumen", "5g", "iphone", "android"),
    "internet-tv": ("wlan", "dsl", "glasfaser", "router", "iptv", "festnetz", "ipv6"),
    "rechnung-vertrag": ("rechnung", "tarif", "kündigung", "umzug", "lastschrift", "gutschrift"),
    "geraete-zubehoer": ("repeater", "mesh", "tv-box", "smartphone", "smartwatch", "update"),
    "community-treff": ("community", "punkte", "vorschlag", "treffen"),
}

QUESTION_BODIES = {
    "de": (
        "Hallo zusammen,\n\n**{topic}** – und zwar seit ein paar Tagen. Bisher versucht:\n\n"
        "- Gerät neu gestartet\n- Router vom Strom getrennt\n- Störungsseite geprüft\n\n"
        "Hat jemand eine Idee?",
        "{topic}. Ist das bei euch auch so, oder liegt es an meinem Anschluss? "
        "Tarif und Gerät sind aktuell.",
        "Moin, kurze Frage: {topic}. Der Kundenservice hat mich hierher verwiesen. "
        "Was kann ich selbst prüfen, bevor ich einen Techniker bestelle?",
        "Ich verzweifle langsam. {topic}, und zwar mehrmals am Tag. "
        "Im Protokoll steht:\n\n```\nFehler 0x1F: Verbindung zurückgesetzt\n```\n\n"
        "Was bedeutet das?",
        "Guten Abend, {topic}. Laut [Störungsseite](https://example.com/stoerungen) ist "
        "alles in Ordnung. Habt ihr einen Tipp?",
    ),
    "en": (
        "Hi all,\n\n**{topic}** for a few days now. What I tried:\n\n"
        "- restarted the device\n- unplugged the router\n- checked the status page\n\n"
        "Any ideas?",
        "{topic}. Is this the same for you, or is it my line? Plan and device are current.",
        "Quick question: {topic}. Support sent me here. What can I check myself before "
        "booking a technician?",
        "Getting desperate. {topic}, several times a day. The log says:\n\n"
        "```\nError 0x1F: connection reset\n```\n\nWhat does that mean?",
        "Evening all, {topic}. The [status page](https://example.com/status) says "
        "everything is fine. Any tips?",
    ),
}

ANSWER_BODIES = {
    "de": (
        "Hatte ich auch. Bei mir hat ein **Werksreset** geholfen, danach alles neu eingerichtet.",
        "Schau mal in die Einstellungen:\n\n1. *Menü → System → Update*\n"
        "2. Neueste Firmware installieren\n3. Neu starten\n\nDanach war es bei mir weg.",
        "Das klingt nach einer Leitungsstörung. Melde das am besten über "
        "*Mein Wolkenfunk → Störung melden*, dann wird die Leitung durchgemessen.",
        "Probier mal einen anderen Kanal:\n\n```\nWLAN-Kanal 2,4 GHz: 1, 6 oder 11\n"
        "WLAN-Kanal 5 GHz:   36-48\n```",
        "Gleiches Problem hier, seit letzter Woche. Ich beobachte den Thread.",
        "Bei mir lag es am Kabel. Ein neues LAN-Kabel (Cat 6) und seitdem ist Ruhe.",
        "Die Anleitung dazu steht in der [Hilfe](https://example.com/hilfe). Kurz: "
        "Gerät aus, 30 Sekunden warten, wieder an.",
        "Hast du mal ein anderes Gerät getestet? Dann weißt du, ob es am Anschluss oder "
        "am Gerät liegt.",
    ),
    "en": (
        "Had the same. A **factory reset** fixed it for me, then I set everything up again.",
        "Check the settings:\n\n1. *Menu → System → Update*\n2. Install the latest "
        "firmware\n3. Restart\n\nThat fixed it for me.",
        "Sounds like a line fault. Report it under *My Wolkenfunk → Report a fault* and "
        "they will test the line.",
        "Try another channel:\n\n```\nWi-Fi channel 2.4 GHz: 1, 6 or 11\n"
        "Wi-Fi channel 5 GHz:   36-48\n```",
        "Same problem here since last week. Following this thread.",
        "For me it was the cable. A new LAN cable (Cat 6) and it has been fine since.",
        "The guide is in the [help centre](https://example.com/help). In short: switch "
        "off, wait 30 seconds, switch on again.",
        "Have you tried another device? Then you know whether it is the line or the device.",
    ),
}

OFFICIAL_BODIES = {
    "de": (
        "Danke für deine Nachricht! Ich habe mir deinen Anschluss angesehen und eine "
        "Einstellung zurückgesetzt. Bitte starte den Router einmal neu und gib hier "
        "Bescheid, ob es jetzt klappt.",
        "Hallo, das Problem ist uns bekannt. Ein Update wird gerade schrittweise verteilt, "
        "der aktuelle Stand steht auf der [Statusseite](https://example.com/status).",
    ),
    "en": (
        "Thanks for reaching out! I checked your line and reset a setting. Please restart "
        "the router once and let us know here whether it works now.",
        "Hi, we know about this problem. An update is being rolled out step by step; see "
        "the [status page](https://example.com/status) for progress.",
    ),
}

COMMENTS = {
    "de": (
        "Danke, das probiere ich heute Abend aus!",
        "Hat funktioniert, vielen Dank!",
        "Bei mir leider nicht, gleiche Fehlermeldung.",
        "Guter Tipp 👍",
        "Welche Firmware-Version hast du?",
        "Kann ich bestätigen.",
    ),
    "en": (
        "Thanks, I'll try that tonight!",
        "That worked, thank you!",
        "Not for me unfortunately, same error.",
        "Good tip 👍",
        "Which firmware version are you on?",
        "Can confirm.",
    ),
}

FIRST_NAMES = (
    "Lena", "Max", "Sophie", "Paul", "Marie", "Leon", "Emma", "Felix", "Hannah", "Jonas",
    "Mia", "Lukas", "Laura", "Tim", "Julia", "Niklas", "Sarah", "Jan", "Lea", "David",
    "Aylin", "Mehmet", "Olga", "Piotr", "Priya", "Chen", "Fatima", "Luca", "Nora", "Emil",
)  # fmt: skip
LAST_NAMES = (
    "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Yilmaz", "Nowak", "Kaya",
)  # fmt: skip
