"""The project's own relevance test set: queries typed as customers type them
(paraphrases, inflected and compound words, typos, the other language's word, long
natural sentences, error codes), each with the demo thread that answers it (a part of
its title). Measured over the demo on PostgreSQL (tests/demo/test_search_relevance.py)
and SQLite (tests/embedded/test_search.py)."""

from community import search
from search import engine

CASES = (
    ("Ruter blinkt orange", "Router LED blinking orange"),
    ("router light orange", "Router LED blinking orange"),
    ("What does the orange blinking light on my router mean", "Router LED blinking orange"),
    ("LED orange", "Router LED blinking orange"),
    ("Datenvolumn aufgebraucht", "Datenvolumen nach 10 Tagen"),
    (
        "Mein Datenvolumen ist nach zehn Tagen weg, was verbraucht so viel",
        "Datenvolumen nach 10 Tagen",
    ),
    ("smartwach esim", "smartwatches support"),
    ("smartwatch esim", "smartwatches support"),
    ("Fritzbox verliert nachts die Verbindung", "FRITZ!Box 7590"),
    ("fritz box dsl synchronisation", "FRITZ!Box 7590"),
    ("esim uebertragen iphone", "eSIM auf neues iPhone"),
    ("Wie kann ich meine eSIM auf ein neues iPhone übertragen", "eSIM auf neues iPhone"),
    ("QR Code wird nicht erkannt", "eSIM auf neues iPhone"),
    ("Rufnummernanzeige", "Meine Rufnummer wird beim Angerufenen"),
    ("Rufnummer unterdrückt angezeigt", "Meine Rufnummer wird beim Angerufenen"),
    ("Drittanbieter sperren", "Drittanbietersperre"),
    ("Glasfaserrouter Zugangsdaten", "Glasfaser: Zugangsdaten"),
    ("invoice in English", "bill and letters in English"),
    ("Rechnung auf Englisch", "bill and letters in English"),
    ("WiFi Anruf bricht ab", "WLAN Call bricht"),
    ("laptop wifi drops", "dropping the 5 GHz Wi-Fi"),
    ("Fehler TV-204", "error TV-204"),
    ("tv204", "error TV-204"),
    ("roaming USA", "Travel plan work in the US"),
    ("I want to know if my travel plan works in the USA", "Travel plan work in the US"),
    ("5G langsamer als 4G", "5G icon shows"),
    ("5G slow", "5G icon shows"),
    ("APN Android", "APN settings"),
    ("dual sim apn", "APN settings"),
    ("Roaming Schweiz", "Urlaub in der Schweiz"),
    ("Upload zu langsam", "Upload nur halb so schnell"),
    ("Upload richtig messen", "Upload nur halb so schnell"),
    ("IPTV ruckelt repeater", "IPTV ruckelt"),
    ("Portweiterleitung Nextcloud", "Portfreigabe für Nextcloud"),
    ("doppelt abgebucht", "Monatsbetrag im März"),
    ("Umzug DSL Vertrag", "Umzug nach Leipzig"),
    ("Sonderkündigung Preiserhöhung", "Sonderkündigungsrecht"),
    ("Kundennummer finden", "Kundennummer, Vertragsnummer"),
    ("Mesh Repeater Reihenfolge", "Mesh mit zwei Repeatern"),
    ("Handy Raten vorzeitig ablösen", "Handy auf Raten"),
    ("Smartphone auf Raten gekauft", "Handy auf Raten"),
    ("TV Box startet neu", "TV-Box startet alle paar Stunden neu"),
    ("Mietgerät oder eigener Router", "Eigener Router oder Mietgerät"),
    ("schlechter Empfang Wohnung", "kaum Empfang in der Wohnung"),
    ("custom DNS Homebox", "custom DNS servers"),
    ("premium SMS charged", "premium SMS I never sent"),
)


def measure() -> tuple[float, float, list[str]]:
    """(share found in the top 5, share that found nothing, the misses) over CASES."""
    found, empty, misses = 0, 0, []
    for typed, expected in CASES:
        ids = search.ranked_ids(engine.parse(typed))[:5]
        titles = [q.title for q in search.questions_in_order(ids)]
        if any(expected in title for title in titles):
            found += 1
        else:
            misses.append(f"{typed!r} -> {titles}")
        empty += not titles
    return found / len(CASES), empty / len(CASES), misses
