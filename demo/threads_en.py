"""Hand-written English demo threads (the brand is the fictional "Wolkenfunk")."""

from demo.specs import Reply, Thread

THREADS = (
    Thread(
        forum="mobilfunk",
        language="en",
        author="daniel",
        days_ago=22,
        title="Does the Travel plan work in the US, and on which network?",
        body="""
            I'm flying to Boston for a conference next month. Does the *Travel World*
            add-on work there, and do I need to pick a network manually? My phone is a
            Pixel 8 on the Wolkenfunk L plan.
        """,
        tags=("roaming", "usa"),
        answers=(
            Reply(
                "priya",
                """
                It works fine, I used it in New York in May. Book the add-on in the app
                **before** you fly, it only starts counting when you first connect abroad.
                Automatic network selection picked AT&T for me and 5G worked.
                """,
                kudos=4,
            ),
            Reply(
                "markus.support",
                """
                Hi Daniel, Priya is right. One tip: in the US, turn on *VoLTE* in
                *Settings → Network & internet → SIMs*, because the old 3G networks there
                are switched off and calls need VoLTE.
                """,
                kudos=6,
            ),
        ),
        accepted=1,
        kudos=2,
        solved_too=5,
    ),
    Thread(
        forum="mobilfunk",
        language="en",
        author="sarah",
        days_ago=37,
        title="APN settings for a dual-SIM Android phone",
        body="""
            I put my Wolkenfunk SIM into the second slot of my dual-SIM phone. Calls work,
            but mobile data doesn't. Which APN settings do I need?
        """,
        tags=("apn", "android", "dual-sim"),
        answers=(
            Reply(
                "felix",
                """
                Add a new APN under *Settings → Mobile network → SIM 2 → Access point names*:

                ```
                Name:      Wolkenfunk
                APN:       internet.wolkenfunk.example
                APN type:  default,supl
                Protocol:  IPv4/IPv6
                Roaming:   IPv4/IPv6
                ```

                Leave user name and password empty. Then pick SIM 2 as the *data SIM*.
                """,
                kudos=7,
                comments=(("sarah", "That did it, data works on SIM 2 now. Thanks!"),),
            ),
        ),
        accepted=0,
        kudos=3,
        solved_too=10,
    ),
    Thread(
        forum="mobilfunk",
        language="en",
        author="marco",
        days_ago=11,
        title="5G icon shows, but speeds are worse than on 4G",
        body="""
            Since 5G arrived in my area, the icon shows 5G, but I get 15 Mbit/s at most.
            When I force 4G/LTE I get 80 Mbit/s. Is this normal?
        """,
        tags=("5g", "speed"),
        answers=(
            Reply(
                "tom",
                """
                Likely *5G DSS* on a low band: it shares the spectrum with LTE, so the icon
                says 5G but capacity is limited. Forcing LTE is a fine workaround until the
                site gets its 3.6 GHz antennas.
                """,
                kudos=5,
            ),
        ),
        kudos=2,
    ),
    Thread(
        forum="internet-tv",
        language="en",
        author="priya",
        days_ago=30,
        title="Laptop keeps dropping the 5 GHz Wi-Fi every few minutes",
        body="""
            My work laptop loses the 5 GHz network every few minutes for about 10 seconds.
            Phones on the same network are fine. The router is the Wolkenfunk Homebox 3.
        """,
        tags=("wifi", "5ghz", "router"),
        answers=(
            Reply(
                "rudi",
                """
                Classic DFS issue: on channels 52-140 the router must leave the channel when
                it detects radar, and some laptop drivers handle that badly. Pin a non-DFS
                channel in *Wi-Fi → Radio channel*:

                ```
                5 GHz channel:   36 (or 40, 44, 48)
                Channel width:   80 MHz
                ```

                Also update the laptop's Wi-Fi driver.
                """,
                kudos=8,
                comments=(("priya", "Channel 36 fixed it. A whole day without a drop."),),
            ),
        ),
        accepted=0,
        kudos=4,
        solved_too=13,
    ),
    Thread(
        forum="internet-tv",
        language="en",
        author="daniel",
        days_ago=84,
        title="How do I set custom DNS servers on the Homebox?",
        body="""
            I'd like to use my own DNS resolver (a Pi-hole on my network) for all devices.
            Where do I change the DNS server the router hands out?
        """,
        tags=("dns", "router", "pi-hole"),
        answers=(
            Reply(
                "tom",
                """
                Under *Home network → Network → IPv4 settings* set the **local DNS server**
                that DHCP hands out to your Pi-hole's address, e.g.:

                ```
                Local DNS server:  192.168.178.2
                ```

                Do the same for IPv6 (*DNSv6 server in the home network*), otherwise devices
                bypass the Pi-hole over IPv6. Check it with:

                ```
                nslookup example.com
                ```
                """,
                kudos=6,
            ),
        ),
        accepted=0,
        kudos=3,
        solved_too=6,
    ),
    Thread(
        forum="internet-tv",
        language="en",
        author="sarah",
        days_ago=0.3,
        title="TV box shows error TV-204 after the latest update",
        body="""
            Since this morning the TV box shows **TV-204: service not available** on all
            channels. Restarting didn't help. Anyone else?
        """,
        tags=("tv-box", "error"),
    ),
    Thread(
        forum="rechnung-vertrag",
        language="en",
        author="olga",
        days_ago=66,
        title="Can I get my bill and letters in English?",
        body="""
            I moved to Germany last year and my German is still basic. Is it possible to
            receive bills and contract letters in English?
        """,
        tags=("bill", "language"),
        answers=(
            Reply(
                "julia.support",
                """
                Hi Olga, yes! In *My Wolkenfunk → Settings → Language* switch
                *Correspondence language* to English. From the next bill on, bills and
                letters arrive in English. The app and this community are available in
                English too.
                """,
                kudos=5,
            ),
        ),
        accepted=0,
        kudos=4,
        solved_too=7,
    ),
    Thread(
        forum="rechnung-vertrag",
        language="en",
        author="felix",
        days_ago=5.5,
        title="Charged for a premium SMS I never sent",
        body="""
            My latest bill has a charge of EUR 2.99 for a *premium SMS* to a short code I
            don't recognise. I never sent it. How do I dispute this?
        """,
        tags=("bill", "premium-sms"),
        answers=(
            Reply(
                "sophie",
                """
                Happened to me too. Dispute it in the app under *Bill → Itemised charges →
                Dispute*, and turn on the premium number block so it can't happen again.
                """,
                kudos=3,
            ),
        ),
        kudos=1,
    ),
    Thread(
        forum="geraete-zubehoer",
        language="en",
        author="aylin",
        days_ago=48,
        title="Which smartwatches support a Wolkenfunk eSIM?",
        body="""
            I'd like a watch I can use for calls while running, without my phone. Which
            watches work with a Wolkenfunk MultiSIM?
        """,
        tags=("esim", "smartwatch", "multisim"),
        answers=(
            Reply(
                "stefan.cm",
                """
                Currently supported with the *MultiSIM* option (EUR 4.95 a month):

                - Apple Watch (cellular models, paired with an iPhone)
                - Samsung Galaxy Watch 4 and newer (LTE models)
                - Google Pixel Watch (LTE)

                The full, current list is on our
                [device page](https://example.com/geraete/multisim).
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
        language="en",
        author="daniel",
        days_ago=112,
        title="Router LED blinking orange: what does it mean?",
        body="""
            The *Internet* LED on my Homebox 3 blinks orange, and there is no connection.
            What do the different LED states mean?
        """,
        tags=("router", "led"),
        answers=(
            Reply(
                "rudi",
                """
                From the manual:

                | LED | state | meaning |
                | --- | --- | --- |
                | Internet | green | connected |
                | Internet | orange, blinking | line found, login failed |
                | Internet | red | no line signal |
                | Wi-Fi | blinking | WPS pairing active |

                Orange blinking usually means wrong access data after a reset: re-enter
                them from your access letter.
                """,
                kudos=9,
            ),
        ),
        accepted=0,
        kudos=3,
        solved_too=8,
    ),
    Thread(
        forum="community-treff",
        language="en",
        author="carla.mod",
        days_ago=140,
        title="Tips for writing a question that gets answered fast",
        body="""
            Questions with these details usually get a good answer within an hour:

            1. **What you have**: device, router model, plan
            2. **What happens**: the exact error message, since when
            3. **What you tried**: restart, reset, other cable

            Leave out personal data. And please mark the answer that helped: the next
            person with the same problem finds it at the top.
        """,
        tags=("tips", "guidelines"),
        answers=(
            Reply(
                "sarah",
                "Screenshots of the error help a lot too (without personal data of course).",
                kudos=4,
            ),
        ),
        kudos=15,
    ),
)
