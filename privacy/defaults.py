"""The default purposes and their version-1 texts in English and German.

Used by migration 0002 with the historical models, so it only touches fields that
exist since 0001_initial. Creates what is missing and never changes existing rows."""

PURPOSES = [
    {
        "key": "terms",
        "required": True,
        "name": "Terms of use",
        "name_de": "Nutzungsbedingungen",
        "description": "The rules of the community. Required to post.",
        "description_de": "Die Regeln der Community. Erforderlich, um Beiträge zu schreiben.",
        "text": (
            "Be helpful and respectful. Post only what you have the right to share, no spam, "
            "no personal data of others. Moderators may hide or remove posts that break these "
            "rules, and reverse points earned with them. Your questions and answers stay "
            "readable for the community; if you delete your account they are shown as "
            "written by a deleted member."
        ),
        "text_de": (
            "Sei hilfsbereit und respektvoll. Teile nur, was du teilen darfst, keinen Spam und "
            "keine personenbezogenen Daten anderer. Moderatoren können Beiträge, die gegen "
            "diese Regeln verstoßen, ausblenden oder entfernen und damit verdiente Punkte "
            "zurückbuchen. Deine Fragen und Antworten bleiben für die Community lesbar; wenn "
            "du dein Konto löschst, werden sie als Beiträge eines gelöschten Mitglieds gezeigt."
        ),
    },
    {
        "key": "privacy",
        "required": True,
        "name": "Privacy notice",
        "name_de": "Datenschutzhinweise",
        "description": "Which data we keep about you, why, for how long, and your rights.",
        "description_de": (
            "Welche Daten wir über dich speichern, wozu, wie lange, und welche Rechte du hast."
        ),
        "text": (
            "We store your email address, display name, profile, posts, votes and points to "
            "run the community. Your email address is never shown to others. You can see and "
            "change your consents on your privacy page, download all your data, and have your "
            "account erased. Points credited to a customer account are kept pseudonymised as "
            "bookkeeping law requires."
        ),
        "text_de": (
            "Wir speichern deine E-Mail-Adresse, deinen Anzeigenamen, dein Profil, deine "
            "Beiträge, Bewertungen und Punkte, um die Community zu betreiben. Deine "
            "E-Mail-Adresse wird anderen nie gezeigt. Auf deiner Datenschutzseite kannst du "
            "deine Einwilligungen sehen und ändern, alle deine Daten herunterladen und dein "
            "Konto löschen lassen. Einem Kundenkonto gutgeschriebene Punkte werden "
            "pseudonymisiert aufbewahrt, wie es das Buchhaltungsrecht verlangt."
        ),
    },
    {
        "key": "email_notifications",
        "name": "Notifications about your threads",
        "name_de": "Benachrichtigungen zu deinen Themen",
        "description": "Emails about answers and comments in threads you follow.",
        "description_de": "E-Mails zu Antworten und Kommentaren in Themen, denen du folgst.",
        "text": (
            "We email you when someone answers or comments in a thread you started or follow. "
            "You can withdraw this at any time on your privacy page."
        ),
        "text_de": (
            "Wir schicken dir eine E-Mail, wenn jemand in einem Thema antwortet oder "
            "kommentiert, das du begonnen hast oder dem du folgst. Du kannst das jederzeit auf "
            "deiner Datenschutzseite widerrufen."
        ),
    },
    {
        "key": "newsletter",
        "name": "Newsletter",
        "name_de": "Newsletter",
        "description": "News and offers by email.",
        "description_de": "Neuigkeiten und Angebote per E-Mail.",
        "text": (
            "We send you our newsletter with news and offers, at most once a month. You can "
            "withdraw this at any time on your privacy page or with the link in every issue."
        ),
        "text_de": (
            "Wir schicken dir unseren Newsletter mit Neuigkeiten und Angeboten, höchstens "
            "einmal im Monat. Du kannst das jederzeit auf deiner Datenschutzseite oder über "
            "den Link in jeder Ausgabe widerrufen."
        ),
    },
    {
        "key": "leaderboards",
        "name": "Leaderboards",
        "name_de": "Bestenlisten",
        "description": "Being listed on leaderboards and as a top contributor.",
        "description_de": "In Bestenlisten und als Top-Mitglied genannt werden.",
        "text": (
            "Your display name, rank and points may be listed on leaderboards and as a top "
            "contributor. Without this consent you still earn points, but are not listed."
        ),
        "text_de": (
            "Dein Anzeigename, dein Rang und deine Punkte dürfen in Bestenlisten und als "
            "Top-Mitglied gezeigt werden. Ohne diese Einwilligung sammelst du weiter Punkte, "
            "wirst aber nicht genannt."
        ),
    },
    {
        "key": "personalisation",
        "name": "Personalised suggestions",
        "name_de": "Persönliche Vorschläge",
        "description": "Using your activity to suggest questions and forums.",
        "description_de": "Deine Aktivität nutzen, um dir Fragen und Foren vorzuschlagen.",
        "text": (
            "We use the questions you read, ask, answer and follow to suggest questions and "
            "forums that may interest you. Without this consent everyone sees the same "
            "suggestions."
        ),
        "text_de": (
            "Wir nutzen die Fragen, die du liest, stellst, beantwortest und denen du folgst, "
            "um dir Fragen und Foren vorzuschlagen, die dich interessieren könnten. Ohne "
            "diese Einwilligung sehen alle dieselben Vorschläge."
        ),
    },
]


def ensure_default_purposes(purpose_model, text_model) -> None:
    for position, spec in enumerate(PURPOSES):
        spec = dict(spec)
        text, text_de = spec.pop("text"), spec.pop("text_de")
        purpose, created = purpose_model.objects.get_or_create(
            key=spec.pop("key"), defaults={**spec, "position": position}
        )
        if created:
            text_model.objects.create(purpose=purpose, version=1, text=text, text_de=text_de)
