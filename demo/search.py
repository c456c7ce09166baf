"""The demo brand's synonyms, as its community managers would keep them in the admin,
and the index made once more when every thread is there (a compound is split into
words the community wrote, so the vocabulary must be complete)."""

from community import search
from community.models import Question
from search.engine import clear_caches
from search.models import Synonym

SYNONYMS = (
    ("WLAN, WiFi, Wi-Fi, wireless", "German and English"),
    ("Rechnung, invoice, bill, Abrechnung", "German and English"),
    ("LED, Lampe, light, Leuchte", ""),
    ("USA, US, Amerika, America", ""),
    ("Handy, Smartphone, phone, Mobiltelefon", ""),
    ("Englisch, English", ""),
    ("Fernsehen, TV, IPTV", ""),
    ("Portfreigabe, Portweiterleitung, forwarding", ""),
    ("Empfang, Netz, reception, signal", ""),
    ("kündigen, Kündigung, cancel", ""),
    ("Fehler, error, Störung", ""),
)


def demo_search() -> None:
    Synonym.objects.bulk_create(Synonym(words=words, note=note) for words, note in SYNONYMS)
    clear_caches()
    search.index_questions(Question.objects.all())
