"""Hand-written German demo threads (the brand is the fictional "Wolkenfunk")."""

# ruff: noqa: RUF001 - the en dash is German typography, not a confusable hyphen

from demo.specs import Reply, Thread

THREADS = (
    Thread(
        forum="mobilfunk",
        language="de",
        author="jonas",
        days_ago=4.2,
        title="eSIM auf neues iPhone übertragen – QR-Code wird nicht erkannt",
        body="""
            Hallo zusammen,

            ich habe mir ein iPhone 15 gekauft und möchte meine eSIM vom alten iPhone 12
            mitnehmen. In der Wolkenfunk-App habe ich einen neuen QR-Code angefordert, aber
            beim Scannen kommt nur **"Dieser Code ist nicht mehr gültig"**.

            - App-Version ist aktuell
            - Das alte Telefon hat noch Empfang
            - Den Code habe ich zweimal neu angefordert

            Hat jemand eine Idee, was ich falsch mache?
        """,
        tags=("esim", "iphone"),
        answers=(
            Reply(
                "tom",
                """
                Der Code ist nur **einmal** gültig und verfällt, sobald du einen neuen
                anforderst. Wenn du ihn zweimal angefordert hast, ist der erste schon tot.
                Nimm wirklich nur den zuletzt gemailten.
                """,
                kudos=2,
            ),
            Reply(
                "julia.support",
                """
                Hallo Jonas, Tom hat recht: nur der neueste Code funktioniert. Bei iPhones
                geht es aber auch ganz ohne QR-Code:

                1. Beide iPhones entsperrt nebeneinanderlegen, Bluetooth an.
                2. Auf dem neuen iPhone: *Einstellungen → Mobilfunk → eSIM hinzufügen*.
                3. *Von einem iPhone in der Nähe übertragen* wählen und bestätigen.

                Die alte eSIM wird dabei automatisch deaktiviert. Falls es trotzdem hakt,
                schreib mir gern eine private Nachricht mit deiner Kundennummer, dann
                setze ich das Profil zurück.
                """,
                kudos=9,
                comments=(
                    ("jonas", "Die Übertragung per Bluetooth hat sofort geklappt. Danke, Julia!"),
                    ("anna", "Gut zu wissen, das steht so nirgends in der Anleitung."),
                ),
            ),
        ),
        accepted=1,
        kudos=5,
        solved_too=7,
    ),
    Thread(
        forum="mobilfunk",
        language="de",
        author="mareike",
        days_ago=9.5,
        title="Seit zwei Wochen kaum Empfang in der Wohnung (Köln-Ehrenfeld)",
        body="""
            Seit etwa zwei Wochen habe ich in meiner Wohnung fast keinen Empfang mehr.
            Draußen auf der Straße ist LTE voll da, drinnen springt das Handy zwischen
            **E** und *kein Netz*. Telefonate brechen ständig ab.

            Vorher lief alles jahrelang problemlos. Wird da gerade umgebaut?
        """,
        tags=("netz", "empfang", "köln"),
        answers=(
            Reply(
                "markus.support",
                """
                Hallo Mareike, danke für die Meldung. In Ehrenfeld wird derzeit ein Standort
                auf 5G umgerüstet, deshalb kann die Versorgung in Gebäuden schwächer sein.
                Die Arbeiten sollen in etwa zwei Wochen abgeschlossen sein.

                Bis dahin hilft **WLAN Call**: *Einstellungen → Mobilfunk → WLAN-Anrufe*.
                Damit telefonierst du über dein WLAN, ohne Zusatzkosten.
                """,
                kudos=6,
            ),
            Reply(
                "bernd",
                """
                Kann ich bestätigen, bei uns auf dem Land war es nach dem Umbau deutlich
                besser als vorher. Durchhalten lohnt sich!
                """,
                kudos=1,
            ),
        ),
        kudos=4,
    ),
    Thread(
        forum="mobilfunk",
        language="de",
        author="helga",
        days_ago=41,
        title="Urlaub in der Schweiz: Kostet Roaming dort extra?",
        body="""
            Wir fahren im Sommer für zwei Wochen nach Graubünden. Innerhalb der EU
            telefoniere ich ja zum Inlandspreis, aber die Schweiz ist nicht in der EU.

            Muss ich vorher etwas buchen oder wird das teuer?
        """,
        tags=("roaming", "ausland"),
        answers=(
            Reply(
                "lukas",
                """
                Die Schweiz gehört **nicht** zur EU-Roamingregelung. Bei Wolkenfunk ist sie
                aber in den meisten aktuellen Tarifen in *Ländergruppe 1* enthalten, also
                wie zu Hause. Schau in der App unter *Tarif → Roaming*, da steht es für
                deinen Tarif genau drin.

                Wenn nicht enthalten: Die *Travel Week* für die Schweiz kostet 9,99 € und
                bringt 5 GB mit.
                """,
                kudos=5,
                comments=(("helga", "Tatsächlich, bei mir ist die Schweiz inklusive. Danke!"),),
            ),
        ),
        accepted=0,
        kudos=3,
        solved_too=4,
    ),
    Thread(
        forum="mobilfunk",
        language="de",
        author="aylin",
        days_ago=63,
        title="Datenvolumen nach 10 Tagen aufgebraucht – was frisst da so viel?",
        body="""
            Ich habe 20 GB im Monat und nutze eigentlich nur Instagram, WhatsApp und ab
            und zu Spotify. Trotzdem kam heute schon die SMS *"80 % verbraucht"*.
            Kann ich irgendwo sehen, welche App das war?
        """,
        tags=("datenvolumen", "android"),
        answers=(
            Reply(
                "felix",
                """
                Auf Android unter *Einstellungen → Netzwerk & Internet → Datennutzung*
                siehst du den Verbrauch pro App. Die üblichen Verdächtigen:

                - **Instagram/TikTok**: Videos laden automatisch in hoher Qualität vor
                - **Spotify**: Streaming-Qualität auf *Sehr hoch* und Downloads über Mobilfunk
                - **Fotos-Backup** (Google Fotos) ohne "nur über WLAN"
                - **App-Updates** über Mobilfunk

                In Instagram: *Einstellungen → Datennutzung → Datensparmodus* einschalten.
                """,
                kudos=8,
            ),
            Reply(
                "eva",
                "Bei mir war es die automatische Foto-Sicherung. 6 GB in einer Woche.",
                kudos=2,
            ),
        ),
        accepted=0,
        kudos=2,
        solved_too=11,
    ),
    Thread(
        forum="mobilfunk",
        language="de",
        author="kaiuwe",
        days_ago=0.6,
        title="WLAN Call bricht beim Verlassen der Wohnung ab",
        body="""
            Wenn ich mit WLAN Call telefoniere und dann das Haus verlasse, bricht das
            Gespräch ab, sobald das WLAN weg ist. Sollte das nicht nahtlos ins LTE-Netz
            übergeben werden? Gerät: Samsung Galaxy S23, Tarif Wolkenfunk M.
        """,
        tags=("wlan-call", "volte", "samsung"),
    ),
    Thread(
        forum="internet-tv",
        language="de",
        author="rudi",
        days_ago=27,
        title="FRITZ!Box 7590 verliert jede Nacht die DSL-Synchronisation",
        body="""
            Seit einer Woche trennt meine FRITZ!Box jede Nacht zwischen 2 und 4 Uhr die
            Verbindung. Im Ereignisprotokoll steht:

            ```
            03:12:45 DSL antwortet nicht (Keine DSL-Synchronisierung).
            03:13:31 DSL ist verfügbar (DSL-Synchronisierung besteht mit 116799/46720 kbit/s).
            03:13:40 Internetverbindung wurde erfolgreich hergestellt.
            ```

            Tagsüber läuft alles stabil. Liegt das an der Leitung oder an der Box?
        """,
        tags=("fritzbox", "dsl", "störung"),
        answers=(
            Reply(
                "tom",
                """
                Nachts laufen oft Wartungsarbeiten oder Leitungsmessungen. Trotzdem: Stell
                mal unter *Internet → DSL-Informationen → Störsicherheit* den Regler zwei
                Stufen Richtung **maximale Stabilität**. Du verlierst ein paar Mbit/s, aber
                die Verbindung hält meistens.
                """,
                kudos=7,
                comments=(
                    ("rudi", "Seit drei Nächten keine Trennung mehr. Top!"),
                    ("kaiuwe", "Hat bei mir auch geholfen, gleiche Box."),
                ),
            ),
            Reply(
                "markus.support",
                """
                Ergänzend: Wenn die Abbrüche trotz Störsicherheit wiederkommen, melde dich
                bitte über *Mein Wolkenfunk → Störung melden*. Dann messen wir die Leitung
                von unserer Seite durch.
                """,
                kudos=3,
            ),
        ),
        accepted=0,
        kudos=6,
        solved_too=9,
    ),
    Thread(
        forum="internet-tv",
        language="de",
        author="felix",
        days_ago=52,
        title="Glasfaser: Zugangsdaten für den eigenen Router",
        body="""
            Mein Glasfaseranschluss ist seit gestern aktiv. Ich möchte statt des
            Mietrouters meine eigene Box am ONT betreiben. Welche Einstellungen brauche
            ich genau (VLAN, PPPoE)?
        """,
        tags=("glasfaser", "router", "pppoe"),
        answers=(
            Reply(
                "julia.support",
                """
                Hallo Felix, gern! Am Glasfaser-Modem (ONT) brauchst du diese Werte:

                ```
                Anschlussart:     Externes Modem / ONT
                Verbindung:       PPPoE
                VLAN-ID:          7
                Benutzername:     <Anschlusskennung>@fiber.wolkenfunk.example
                Passwort:         <persönliches Kennwort aus dem Zugangsbrief>
                MTU:              1492
                ```

                Anschlusskennung und Kennwort findest du im Zugangsbrief oder in
                *Mein Wolkenfunk → Anschluss → Zugangsdaten*. Für Telefonie brauchst du
                zusätzlich die SIP-Daten, die stehen direkt darunter.
                """,
                kudos=12,
                comments=(("felix", "Läuft! VLAN 7 war der fehlende Teil."),),
            ),
        ),
        accepted=0,
        kudos=8,
        solved_too=14,
    ),
    Thread(
        forum="internet-tv",
        language="de",
        author="bernd",
        days_ago=15,
        title="Upload nur halb so schnell wie gebucht – wie richtig messen?",
        body="""
            Gebucht habe ich 250/40 Mbit/s. Im Download komme ich auf 230, im Upload aber
            selten über 18 Mbit/s. Welche Messung zählt denn, wenn ich das reklamieren
            möchte?
        """,
        tags=("geschwindigkeit", "upload", "breitbandmessung"),
        answers=(
            Reply(
                "lukas",
                """
                Rechtlich zählt das Messprotokoll der Bundesnetzagentur:
                [breitbandmessung.de](https://breitbandmessung.de). Wichtig:

                1. Per **LAN-Kabel** messen, nicht über WLAN
                2. Alle anderen Geräte vom Netz
                3. 30 Messungen an 3 verschiedenen Tagen (so verlangt es das Protokoll)

                Mit dem Protokoll kannst du dann eine Minderung verlangen.
                """,
                kudos=6,
            ),
            Reply(
                "markus.support",
                """
                Hallo Bernd, bevor du die Messkampagne startest: Ich habe auf deinem
                Anschluss ein veraltetes Upload-Profil gesehen. Ich habe es eben neu
                gesetzt. Bitte starte den Router einmal neu und miss dann noch einmal.
                """,
                kudos=4,
                comments=(("bernd", "Nach dem Neustart 38 Mbit/s im Upload. Ich beobachte das."),),
            ),
        ),
        kudos=3,
    ),
    Thread(
        forum="internet-tv",
        language="de",
        author="nadine",
        days_ago=88,
        title="IPTV ruckelt, seit die TV-Box über den Repeater läuft",
        body="""
            Ich habe die Wolkenfunk TV-Box ins Wohnzimmer umgezogen und hänge sie jetzt per
            LAN an einen WLAN-Repeater. Seitdem ruckelt das Bild alle paar Minuten und bei
            Fußball friert es komplett ein. Direkt am Router war alles gut.
        """,
        tags=("iptv", "repeater", "wlan"),
        answers=(
            Reply(
                "rudi",
                """
                IPTV nutzt Multicast, und viele Repeater kommen damit über WLAN schlecht
                klar. Zwei Möglichkeiten:

                - **Powerline/dLAN** oder ein LAN-Kabel bis zur Box
                - Repeater im **LAN-Brücke**-Modus mit Kabel zum Router

                Wenn es WLAN sein muss: Im Router *Multicast über WLAN* aktivieren und das
                5-GHz-Band für den Repeater nutzen.
                """,
                kudos=5,
            ),
        ),
        accepted=0,
        kudos=1,
        solved_too=3,
    ),
    Thread(
        forum="internet-tv",
        language="de",
        author="marco",
        days_ago=104,
        title="Portfreigabe für Nextcloud klappt nicht – DS-Lite?",
        body="""
            Ich betreibe zu Hause eine Nextcloud auf einem Raspberry Pi und habe Port 443
            freigegeben. Von außen komme ich trotzdem nicht drauf:

            ```
            $ curl -v https://meine-cloud.example.net
            * connect to 203.0.113.17 port 443 failed: Connection timed out
            ```

            Die IPv4-Adresse in der Router-Übersicht sieht komisch aus (`100.64.x.x`).
        """,
        tags=("ds-lite", "ipv6", "portfreigabe"),
        answers=(
            Reply(
                "tom",
                """
                `100.64.x.x` ist Carrier-Grade-NAT: Du hast **DS-Lite**, also keine eigene
                öffentliche IPv4-Adresse. Eine IPv4-Portfreigabe kann deshalb nie
                funktionieren. Optionen:

                1. Freigabe über **IPv6** einrichten (AAAA-Record beim DynDNS)
                2. Bei Wolkenfunk einen **Dual-Stack**-Anschluss beantragen
                3. Einen Tunnel-Dienst nutzen
                """,
                kudos=9,
            ),
            Reply(
                "stefan.cm",
                """
                Kleine Ergänzung aus dem Team: Die Umstellung auf Dual-Stack ist für
                Privatkunden kostenlos und in *Mein Wolkenfunk → Anschluss → IP-Version*
                in ein paar Minuten erledigt.
                """,
                kudos=7,
                comments=(("marco", "Umgestellt, Nextcloud ist erreichbar. Sehr cool!"),),
            ),
        ),
        accepted=1,
        kudos=4,
        solved_too=6,
    ),
    Thread(
        forum="internet-tv",
        language="de",
        author="helga",
        days_ago=1.3,
        title="Meine Rufnummer wird beim Angerufenen nicht angezeigt",
        body="""
            Wenn ich vom Festnetz aus meine Tochter anrufe, sieht sie nur *"Unbekannt"*.
            Früher wurde meine Nummer angezeigt. Ich habe nichts umgestellt, nur den neuen
            Router angeschlossen, den Wolkenfunk mir geschickt hat.
        """,
        tags=("festnetz", "telefonie"),
    ),
    Thread(
        forum="rechnung-vertrag",
        language="de",
        author="eva",
        days_ago=33,
        title="Monatsbetrag im März doppelt abgebucht",
        body="""
            Auf meinem Kontoauszug sind für März zwei Lastschriften von Wolkenfunk über
            je 39,99 €. Die Rechnung in der App zeigt aber nur einen Betrag. Wie bekomme
            ich das zu viel gezahlte Geld zurück?
        """,
        tags=("rechnung", "lastschrift"),
        answers=(
            Reply(
                "julia.support",
                """
                Hallo Eva, das tut mir leid. Im März gab es bei einem Teil der Lastschriften
                einen technischen Fehler, die doppelte Abbuchung wird **automatisch**
                erstattet. Die Gutschrift kommt innerhalb von 5 Werktagen auf dein Konto
                zurück, du musst nichts tun.

                Bitte die Lastschrift nicht zurückbuchen lassen, sonst entstehen Gebühren.
                """,
                kudos=5,
                comments=(("eva", "Das Geld ist heute zurückgekommen. Danke!"),),
            ),
        ),
        accepted=0,
        kudos=6,
        solved_too=19,
    ),
    Thread(
        forum="rechnung-vertrag",
        language="de",
        author="sophie",
        days_ago=76,
        title="Umzug nach Leipzig: Was passiert mit meinem DSL-Vertrag?",
        body="""
            Wir ziehen zum 1. des übernächsten Monats von Hamburg nach Leipzig. Kann ich
            meinen Internetvertrag mitnehmen, und wie früh muss ich mich melden?
        """,
        tags=("umzug", "vertrag"),
        answers=(
            Reply(
                "markus.support",
                """
                Hallo Sophie, ja, den Vertrag nimmst du mit. So geht es am einfachsten:

                1. Umzug **mindestens 6 Wochen** vorher in *Mein Wolkenfunk → Umzug* melden
                2. Neue Adresse eingeben, die Verfügbarkeit wird sofort geprüft
                3. Einen Schaltungstermin wählen, am besten am Einzugstag

                Ist an der neuen Adresse die gleiche Geschwindigkeit verfügbar, bleibt alles
                beim Alten. Ist sie es nicht, darfst du laut TKG mit einem Monat Frist
                kündigen.
                """,
                kudos=10,
            ),
            Reply("mehmet", "Bei mir hat das reibungslos geklappt, Termin wurde eingehalten."),
        ),
        accepted=0,
        kudos=4,
        solved_too=8,
    ),
    Thread(
        forum="rechnung-vertrag",
        language="de",
        author="kaiuwe",
        days_ago=19,
        title="Sonderkündigungsrecht wegen Preiserhöhung?",
        body="""
            Ich habe einen Brief bekommen: Mein Tarif wird ab nächstem Quartal 3 € teurer.
            Habe ich da ein Sonderkündigungsrecht? Die Mindestlaufzeit läuft noch acht
            Monate.
        """,
        tags=("kündigung", "preiserhöhung"),
        answers=(
            Reply(
                "lukas",
                """
                Bei einer einseitigen Preiserhöhung hast du in der Regel ein
                Sonderkündigungsrecht. Die Frist und das Datum stehen im Schreiben selbst.
                Verbindlich ist aber nur, was dir der Kundenservice schriftlich bestätigt.
                """,
                kudos=3,
            ),
            Reply(
                "olga",
                """
                Ich habe damals stattdessen den Tarifwechsel-Rechner in der App benutzt und
                einen günstigeren Tarif ohne neue Laufzeit gefunden. Vielleicht eine
                Alternative?
                """,
                kudos=2,
            ),
        ),
        kudos=2,
    ),
    Thread(
        forum="rechnung-vertrag",
        language="de",
        author="anna",
        days_ago=58,
        title="Drittanbietersperre einrichten – wo geht das?",
        body="""
            Mein Sohn hat über ein Spiel versehentlich ein Abo abgeschlossen, das über die
            Handyrechnung abgerechnet wird. Wie richte ich eine Drittanbietersperre ein?
        """,
        tags=("drittanbieter", "abo", "jugendschutz"),
        answers=(
            Reply(
                "nadine",
                """
                Geht in der App unter *Mein Wolkenfunk → Einstellungen → Sperren →
                Drittanbieter*. Die Sperre ist kostenlos und sofort aktiv.

                Das bereits abgeschlossene Abo kannst du unter *Rechnung → Drittanbieter*
                direkt kündigen und die Erstattung beantragen.
                """,
                kudos=7,
                comments=(("anna", "Erledigt, und die 4,99 € gab es auch zurück."),),
            ),
        ),
        accepted=0,
        kudos=3,
        solved_too=12,
    ),
    Thread(
        forum="rechnung-vertrag",
        language="de",
        author="olga",
        days_ago=121,
        title="Kundennummer, Vertragsnummer, Rufnummer – was brauche ich wofür?",
        body="""
            Der Kundenservice fragt mal nach der Kundennummer, mal nach der Vertragsnummer.
            Wo finde ich welche Nummer, und was ist der Unterschied?
        """,
        tags=("kundenkonto",),
        answers=(
            Reply(
                "stefan.cm",
                """
                Kurz erklärt:

                | Nummer | wofür | wo zu finden |
                | --- | --- | --- |
                | Kundennummer | dich als Person, alle Verträge | oben auf jeder Rechnung |
                | Vertragsnummer | einen einzelnen Vertrag | *Mein Wolkenfunk → Verträge* |
                | Rufnummer | deinen Anschluss | Vertragsübersicht |

                Für die meisten Anliegen reicht die Kundennummer.
                """,
                kudos=6,
            ),
        ),
        accepted=0,
        kudos=2,
        solved_too=5,
    ),
    Thread(
        forum="geraete-zubehoer",
        language="de",
        author="tom",
        days_ago=46,
        title="Mesh mit zwei Repeatern: In welcher Reihenfolge einrichten?",
        body="""
            Ich will das Haus (3 Etagen) mit zwei Wolkenfunk-Repeatern abdecken. Ein
            Repeater soll im 1. OG, einer im Dachgeschoss hängen. Muss ich die
            nacheinander koppeln, oder geht das auch gleichzeitig?
        """,
        tags=("mesh", "repeater", "wlan"),
        answers=(
            Reply(
                "rudi",
                """
                Immer **nacheinander** und vom Router aus nach außen:

                1. Repeater 1 im 1. OG per WPS koppeln, warten bis die LED dauerhaft leuchtet
                2. Dann Repeater 2 im Dachgeschoss
                3. Im Router-Menü unter *Mesh* prüfen, dass Repeater 2 am **Repeater 1**
                   hängt und nicht direkt am Router

                Optimal ist eine Position, an der der Repeater noch 60 bis 70 % Signal hat.
                """,
                kudos=6,
            ),
        ),
        accepted=0,
        kudos=2,
        solved_too=4,
    ),
    Thread(
        forum="geraete-zubehoer",
        language="de",
        author="mehmet",
        days_ago=69,
        title="Handy auf Raten gekauft – kann ich vorzeitig ablösen?",
        body="""
            Ich habe mein Smartphone über 24 Monate Ratenzahlung bei Wolkenfunk gekauft.
            Jetzt möchte ich den Rest auf einmal bezahlen. Geht das, und fallen Gebühren an?
        """,
        tags=("ratenkauf", "smartphone"),
        answers=(
            Reply(
                "julia.support",
                """
                Hallo Mehmet, ja, das geht jederzeit und **ohne Gebühr**. In
                *Mein Wolkenfunk → Geräte → Ratenplan* siehst du den Restbetrag und kannst
                ihn direkt ablösen. Der Betrag wird mit der nächsten Rechnung eingezogen.
                """,
                kudos=5,
            ),
        ),
        accepted=0,
        kudos=1,
        solved_too=3,
    ),
    Thread(
        forum="geraete-zubehoer",
        language="de",
        author="eva",
        days_ago=7.8,
        title="TV-Box startet alle paar Stunden neu",
        body="""
            Die TV-Box (Modell WF-TV 2) startet seit dem letzten Update von selbst neu,
            meistens abends. Ich habe sie schon vom Strom getrennt und auf
            Werkseinstellungen zurückgesetzt. Hat noch jemand das Problem?
        """,
        tags=("tv-box", "update"),
        answers=(
            Reply(
                "nadine",
                "Ja, genau das gleiche hier seit Firmware 4.12. Vorher lief sie monatelang.",
                kudos=3,
            ),
            Reply(
                "markus.support",
                """
                Danke euch, das Problem ist bekannt und betrifft Firmware **4.12**. Ein
                Update auf 4.13 wird gerade schrittweise verteilt. Ich melde mich hier,
                sobald alle Boxen es haben.
                """,
                kudos=8,
            ),
        ),
        kudos=5,
    ),
    Thread(
        forum="geraete-zubehoer",
        language="de",
        author="sophie",
        days_ago=12,
        title="Eigener Router oder Mietgerät für Glasfaser?",
        body="""
            Ich bekomme bald Glasfaser und überlege, ob ich den Router mieten (4,99 €/Monat)
            oder einen eigenen kaufen soll. Was sind eure Erfahrungen? Hauptsächlich
            Homeoffice und Streaming.
        """,
        tags=("glasfaser", "router"),
        answers=(
            Reply(
                "felix",
                """
                Nach 2 Jahren hat sich ein eigener Router meist schon bezahlt gemacht. Dafür
                musst du Updates selbst im Blick behalten und bekommst keinen Austausch bei
                Defekt. Für Homeoffice würde ich auf **Wi-Fi 6** achten.
                """,
                kudos=4,
            ),
            Reply(
                "bernd",
                """
                Ich bin beim Mietgerät geblieben: Wenn etwas ist, schickt Wolkenfunk am
                nächsten Tag ein neues. Das war mir die 5 € wert.
                """,
                kudos=2,
            ),
        ),
        kudos=1,
    ),
    Thread(
        forum="community-treff",
        language="de",
        author="stefan.cm",
        days_ago=150,
        title="Willkommen in der Wolkenfunk-Community – bitte kurz lesen",
        body="""
            Schön, dass du da bist! Hier helfen sich Kundinnen und Kunden gegenseitig, und
            unser Support-Team schaut täglich vorbei. Damit das gut klappt:

            - **Suche zuerst**: Viele Fragen wurden schon beantwortet.
            - **Eine Frage pro Beitrag**, mit Gerät, Tarif und was du schon versucht hast.
            - **Keine persönlichen Daten** (Kundennummer, Adresse) öffentlich posten.
            - Hat dir eine Antwort geholfen? **Akzeptiere sie** oder klicke
              *"Hat mein Problem auch gelöst"*, so finden andere die Lösung schneller.

            Die vollständigen Regeln findest du in den
            [Community-Richtlinien](https://example.com/community/richtlinien).
        """,
        tags=("willkommen", "regeln"),
        answers=(
            Reply("helga", "Danke für die freundliche Begrüßung, ich lese hier schon länger mit."),
            Reply("lukas", "Top, dass hier auch das Support-Team aktiv ist!", kudos=2),
        ),
        kudos=21,
    ),
    Thread(
        forum="community-treff",
        language="de",
        author="carla.mod",
        days_ago=95,
        title="Stellt euch vor: Wer seid ihr und seit wann dabei?",
        body="""
            Wir sind inzwischen über tausend Mitglieder, Zeit für eine Vorstellungsrunde!
            Erzählt kurz, wer ihr seid, womit ihr euch gut auskennt und seit wann ihr
            Wolkenfunk-Kunde seid.
        """,
        tags=("vorstellung",),
        answers=(
            Reply(
                "rudi",
                """
                Moin! Rudi aus Bremen, Netzwerktechniker im Ruhestand. Kunde seit 2011 und
                hier meistens bei Router- und DSL-Fragen unterwegs.
                """,
                kudos=6,
            ),
            Reply(
                "aylin",
                "Hi, ich bin Aylin, Studentin in Mannheim, seit zwei Jahren beim Mobilfunk dabei.",
                kudos=3,
            ),
            Reply(
                "tom",
                "Tom, Fachinformatiker aus Dresden. Ich helfe gern bei Glasfaser und Mesh.",
                kudos=4,
                comments=(("carla.mod", "Schön, euch alle hier zu haben!"),),
            ),
        ),
        kudos=9,
    ),
    Thread(
        forum="community-treff",
        language="de",
        author="marco",
        days_ago=2.4,
        title="Vorschlag: Eigener Bereich für Smart Home?",
        body="""
            Es gibt hier immer mehr Fragen zu Smart-Home-Geräten, Zigbee-Sticks und
            Homematic am Router. Wäre ein eigenes Forum dafür sinnvoll? Wer wäre dafür?
        """,
        tags=("vorschlag", "smart-home"),
        kudos=7,
    ),
)
