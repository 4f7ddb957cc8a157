"""The starter articles' texts: what the hotline explains most often, in German and
English, each linked to the diagnostics findings it explains. Steps are numbered lines, so
they read well in the portal and in the assistant alike. `seed` loads them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StarterArticle:
    key: str  # stable across versions: identifies the article once loaded
    language: str
    problem: str
    symptoms: str
    solution: str
    tags: tuple[str, ...]
    finding_ids: tuple[str, ...]


def _steps(*steps: str, note: str = "") -> str:
    numbered = "\n".join(f"{number}. {step}" for number, step in enumerate(steps, start=1))
    return f"{numbered}\n\n{note}" if note else numbered


WIFI = ("internet.wifi.weak_signal", "internet.wifi.band_2_4")
DNS = ("internet.dns.failed", "internet.dns.partly_failed", "internet.dns.slow")
STORAGE = ("computer.storage.almost_full",)
FIREWALL = ("security.firewall.off", "security.firewall.partly_off")
MAIL_CERTIFICATE = (
    "email.servers.certificate_untrusted",
    "email.servers.certificate_expired",
    "email.servers.certificate_expires_soon",
)
ROUTER = ("internet.modem.no_answer", "internet.gateway.no_answer")
UPDATES = (
    "security.updates.pending",
    "security.updates.security_pending",
    "security.updates.restart_required",
)

STARTER_ARTICLES: tuple[StarterArticle, ...] = (
    StarterArticle(
        key="wifi-weak-signal.de",
        language="de",
        problem="Das WLAN ist langsam oder bricht ab, weil das Signal schwach ist",
        symptoms=(
            "Webseiten laden langsam, Videos stocken, Videoanrufe brechen ab – vor allem in "
            "Räumen weit weg vom Router. Direkt neben dem Router ist alles schnell. Der "
            "Assistent meldet ein schwaches WLAN-Signal."
        ),
        solution=_steps(
            "Gehen Sie mit dem Gerät näher an den Router. Ist es dort schnell, liegt es am "
            "Funkweg, nicht am Anschluss.",
            "Stellen Sie den Router frei und erhöht auf, nicht in einen Schrank, hinter den "
            "Fernseher oder auf den Boden. Betonwände, Metall, Spiegel und Aquarien dämpfen das "
            "Signal stark.",
            "Starten Sie den Router neu: Stecker ziehen, 30 Sekunden warten, wieder einstecken. "
            "Er wählt dabei auch einen weniger belegten Funkkanal.",
            "Nutzen Sie in der Nähe des Routers das 5-GHz-WLAN: Es ist schneller und weniger "
            "von Nachbarnetzen gestört. Für entfernte Räume reicht 2,4 GHz weiter.",
            "Reicht das nicht, bringt ein WLAN-Repeater oder ein Mesh-System das Signal in "
            "entfernte Räume. Den Repeater auf halbem Weg aufstellen, wo das Signal noch gut "
            "ist, nicht im Funkloch selbst.",
            "Geräte, die nicht herumgetragen werden (PC, Fernseher, Spielkonsole), möglichst "
            "per Netzwerkkabel oder Powerline-Adapter anschließen.",
        ),
        tags=("WLAN", "Router", "Repeater", "langsam"),
        finding_ids=WIFI,
    ),
    StarterArticle(
        key="wifi-weak-signal.en",
        language="en",
        problem="The Wi-Fi is slow or drops because the signal is weak",
        symptoms=(
            "Web pages load slowly, videos stutter, video calls drop, mostly in rooms far from "
            "the router. Right next to the router everything is fast. The assistant reports a "
            "weak Wi-Fi signal."
        ),
        solution=_steps(
            "Move the device closer to the router. If it is fast there, the radio path is the "
            "problem, not the line.",
            "Put the router up high and in the open, not in a cupboard, behind the TV or on the "
            "floor. Concrete walls, metal, mirrors and aquariums weaken the signal a lot.",
            "Restart the router: unplug it, wait 30 seconds, plug it in again. It also picks a "
            "less crowded channel when it starts.",
            "Near the router, use the 5 GHz network: it is faster and less disturbed by the "
            "neighbours' networks. For distant rooms, 2.4 GHz reaches further.",
            "If that is not enough, a Wi-Fi repeater or a mesh system brings the signal to "
            "distant rooms. Place the repeater halfway, where the signal is still good, not in "
            "the dead spot itself.",
            "Connect devices that stay in one place (desktop PC, TV, games console) by network "
            "cable or powerline adapters where you can.",
        ),
        tags=("Wi-Fi", "router", "repeater", "slow"),
        finding_ids=WIFI,
    ),
    StarterArticle(
        key="dns-not-answering.de",
        language="de",
        problem="Webseiten öffnen sich nicht, obwohl die Verbindung steht (DNS)",
        symptoms=(
            "Der Browser meldet „Server nicht gefunden“ oder einen DNS-Fehler (z. B. "
            "DNS_PROBE_FINISHED_NXDOMAIN). Das WLAN- oder Netzwerksymbol zeigt eine Verbindung, "
            "manche Apps funktionieren noch. Der Assistent meldet, dass Internetadressen nicht "
            "aufgelöst werden können."
        ),
        solution=_steps(
            "Router neu starten: Stecker ziehen, 30 Sekunden warten, wieder einstecken und "
            "drei Minuten warten.",
            "Computer neu starten. Unter Windows hilft auch: Eingabeaufforderung öffnen und "
            "„ipconfig /flushdns“ eingeben.",
            "In den Netzwerkeinstellungen prüfen, ob ein fester DNS-Server eingetragen ist "
            "(etwa aus einer alten Anleitung). Auf „automatisch beziehen“ stellen.",
            "VPN-Programme und Sicherheitsprogramme mit „Webschutz“ testweise ausschalten: Sie "
            "leiten Namensanfragen manchmal um.",
            "Geht es auf keinem Gerät im Haushalt, liegt die Störung vermutlich bei uns: Bitte "
            "rufen Sie die Hotline an.",
        ),
        tags=("DNS", "Internet", "Browser", "Störung"),
        finding_ids=DNS,
    ),
    StarterArticle(
        key="dns-not-answering.en",
        language="en",
        problem="Websites do not open although the connection is up (DNS)",
        symptoms=(
            "The browser says “server not found” or shows a DNS error (e.g. "
            "DNS_PROBE_FINISHED_NXDOMAIN). The Wi-Fi or network icon shows a connection and some "
            "apps still work. The assistant reports that internet addresses cannot be looked up."
        ),
        solution=_steps(
            "Restart the router: unplug it, wait 30 seconds, plug it in again and wait three "
            "minutes.",
            "Restart the computer. On Windows, this helps too: open the Command Prompt and type "
            "“ipconfig /flushdns”.",
            "Check the network settings for a fixed DNS server (from an old how-to, say). Set it "
            "back to “obtain automatically”.",
            "Switch off VPN programs and security programs with “web protection” for a test: "
            "they sometimes redirect name lookups.",
            "If no device in the household gets through, the fault is probably on our side: "
            "please call the hotline.",
        ),
        tags=("DNS", "internet", "browser", "outage"),
        finding_ids=DNS,
    ),
    StarterArticle(
        key="disk-almost-full.de",
        language="de",
        problem="Die Festplatte ist fast voll",
        symptoms=(
            "Der Computer wird langsam, Updates lassen sich nicht installieren, Programme melden "
            "„Nicht genügend Speicherplatz“. Der Assistent meldet ein fast volles Laufwerk."
        ),
        solution=_steps(
            "Papierkorb leeren.",
            "Windows: Einstellungen > System > Speicher öffnen, „Temporäre Dateien“ und die "
            "Bereinigungsempfehlungen löschen und die Speicheroptimierung einschalten.",
            "macOS: Apple-Menü > Systemeinstellungen > Allgemein > Speicher. Dort stehen die "
            "größten Dateien und Empfehlungen zum Aufräumen.",
            "Den Ordner „Downloads“ durchsehen: Alte Installationsdateien und Videos belegen oft "
            "viel Platz.",
            "Nicht mehr genutzte Programme deinstallieren.",
            "Fotos und Videos auf eine externe Festplatte oder in einen Cloud-Speicher "
            "verschieben, erst nachdem die Kopie vollständig ist.",
            note="Mindestens 10 bis 15 % des Laufwerks sollten frei bleiben, damit Updates und "
            "das System selbst genug Platz haben.",
        ),
        tags=("Speicherplatz", "Festplatte", "langsam", "Updates"),
        finding_ids=STORAGE,
    ),
    StarterArticle(
        key="disk-almost-full.en",
        language="en",
        problem="The disk is almost full",
        symptoms=(
            "The computer gets slow, updates fail to install, programs say “not enough disk "
            "space”. The assistant reports an almost full drive."
        ),
        solution=_steps(
            "Empty the recycle bin (trash).",
            "Windows: open Settings > System > Storage, delete “Temporary files” and the cleanup "
            "recommendations, and switch on Storage Sense.",
            "macOS: Apple menu > System Settings > General > Storage lists the largest files "
            "and recommendations for tidying up.",
            "Go through the Downloads folder: old installers and videos often take a lot of space.",
            "Uninstall programs that are no longer used.",
            "Move photos and videos to an external drive or cloud storage, once the copy is "
            "complete.",
            note="Keep at least 10 to 15 % of the drive free, so updates and the system itself "
            "have room.",
        ),
        tags=("disk space", "storage", "slow", "updates"),
        finding_ids=STORAGE,
    ),
    StarterArticle(
        key="firewall-off.de",
        language="de",
        problem="Die Firewall ist ausgeschaltet",
        symptoms=(
            "Der Assistent meldet, dass die Firewall ganz oder für manche Netzwerke "
            "ausgeschaltet ist. Oft hat ein Programm, ein früheres Sicherheitsprogramm oder eine "
            "Anleitung zur Fehlersuche sie abgeschaltet."
        ),
        solution=_steps(
            "Windows: Start > Windows-Sicherheit > Firewall- & Netzwerkschutz. Für "
            "Domänennetzwerk, privates und öffentliches Netzwerk jeweils die Microsoft Defender "
            "Firewall einschalten.",
            "macOS: Apple-Menü > Systemeinstellungen > Netzwerk > Firewall einschalten.",
            "Linux (Ubuntu): im Terminal „sudo ufw enable“ eingeben.",
            "Ist ein anderes Sicherheitsprogramm mit eigener Firewall installiert, dort die "
            "Firewall einschalten; sie ersetzt dann die von Windows.",
            "Funktioniert danach ein Programm nicht mehr (etwa ein Spiel oder der Drucker), "
            "nicht die ganze Firewall ausschalten, sondern nur diesem Programm den Zugriff "
            "erlauben („App durch die Firewall zulassen“).",
        ),
        tags=("Firewall", "Sicherheit", "Windows", "macOS"),
        finding_ids=FIREWALL,
    ),
    StarterArticle(
        key="firewall-off.en",
        language="en",
        problem="The firewall is switched off",
        symptoms=(
            "The assistant reports that the firewall is off, completely or for some networks. "
            "Often a program, an earlier security suite or a troubleshooting guide switched it "
            "off."
        ),
        solution=_steps(
            "Windows: Start > Windows Security > Firewall & network protection. Switch Microsoft "
            "Defender Firewall on for the domain, private and public network.",
            "macOS: Apple menu > System Settings > Network > switch the Firewall on.",
            "Linux (Ubuntu): type “sudo ufw enable” in a terminal.",
            "If another security suite with its own firewall is installed, switch the firewall "
            "on there; it then takes the place of the Windows one.",
            "If a program stops working afterwards (a game or the printer, say), do not switch "
            "the whole firewall off: allow just that program (“Allow an app through firewall”).",
        ),
        tags=("firewall", "security", "Windows", "macOS"),
        finding_ids=FIREWALL,
    ),
    StarterArticle(
        key="mail-certificate.de",
        language="de",
        problem="Das E-Mail-Programm warnt vor dem Zertifikat des Mailservers",
        symptoms=(
            "Outlook, Thunderbird oder Apple Mail melden, das Zertifikat sei nicht "
            "vertrauenswürdig oder abgelaufen, oder der Server könne seine Identität nicht "
            "nachweisen. E-Mails werden nicht mehr abgerufen oder gesendet."
        ),
        solution=_steps(
            "Die Warnung nicht bestätigen und kein Passwort eingeben: Ein falsches Zertifikat "
            "kann bedeuten, dass jemand mitliest.",
            "Datum und Uhrzeit des Computers prüfen. Stimmt das Datum nicht, halten Programme "
            "gültige Zertifikate für abgelaufen. Uhrzeit automatisch einstellen lassen.",
            "In den Kontoeinstellungen prüfen, ob genau die Servernamen aus unserer Anleitung "
            "eingetragen sind: Das Zertifikat gilt nur für diese Namen, nicht für alte oder "
            "abgekürzte.",
            "Im öffentlichen WLAN oder Hotel-WLAN: zu Hause erneut versuchen. Solche Netze "
            "schalten manchmal eine Anmeldeseite dazwischen.",
            "Meldet der Assistent ein abgelaufenes Zertifikat unseres Mailservers, rufen Sie uns "
            "an: Das beheben wir auf unserer Seite.",
            note="Meldet der Assistent nur, dass ein Zertifikat bald abläuft, ist nichts zu tun: "
            "Wir erneuern es rechtzeitig.",
        ),
        tags=("E-Mail", "Zertifikat", "Outlook", "Thunderbird"),
        finding_ids=MAIL_CERTIFICATE,
    ),
    StarterArticle(
        key="mail-certificate.en",
        language="en",
        problem="The mail program warns about the mail server's certificate",
        symptoms=(
            "Outlook, Thunderbird or Apple Mail say the certificate is not trusted or has "
            "expired, or that the server cannot prove its identity. Mail is no longer fetched "
            "or sent."
        ),
        solution=_steps(
            "Do not accept the warning and do not enter your password: a wrong certificate can "
            "mean someone is listening in.",
            "Check the computer's date and time. With a wrong date, programs take valid "
            "certificates for expired ones. Let the clock be set automatically.",
            "Check that the account settings use exactly the server names from our guide: the "
            "certificate is valid for those names only, not for old or shortened ones.",
            "On a public or hotel Wi-Fi, try again at home. Such networks sometimes put a login "
            "page in between.",
            "If the assistant reports that our mail server's certificate has expired, call us: "
            "we fix that on our side.",
            note="If the assistant only reports that a certificate expires soon, there is "
            "nothing to do: we renew it in time.",
        ),
        tags=("e-mail", "certificate", "Outlook", "Thunderbird"),
        finding_ids=MAIL_CERTIFICATE,
    ),
    StarterArticle(
        key="router-not-reachable.de",
        language="de",
        problem="Die Einstellungsseite des Routers öffnet sich nicht",
        symptoms=(
            "Die Adresse des Routers (z. B. http://192.168.178.1 bei einer FRITZ!Box oder "
            "http://192.168.1.1) lädt nicht oder meldet eine Zeitüberschreitung. Das Internet "
            "kann trotzdem noch gehen; oft kündigt sich so ein hängender Router an."
        ),
        solution=_steps(
            "Router neu starten: Stecker ziehen, 30 Sekunden warten, wieder einstecken und bis "
            "zu drei Minuten warten, bis die Lämpchen wie gewohnt leuchten.",
            "Prüfen, ob der Computer mit dem eigenen Heimnetz verbunden ist, nicht mit dem "
            "Gast-WLAN oder dem Hotspot des Handys: Dort ist die Einstellungsseite gesperrt.",
            "Die Adresse genau so eingeben, mit „http://“, oder den Namen des Routers verwenden "
            "(z. B. http://fritz.box).",
            "Ein VPN-Programm trennen: Über das VPN ist das Heimnetz nicht erreichbar.",
            "Wurde die Adresse des Routers geändert: Unter Windows zeigt „ipconfig“ in der "
            "Eingabeaufforderung sie als „Standardgateway“, am Mac Systemeinstellungen > "
            "Netzwerk > Details > TCP/IP > Router.",
            "Leuchtet nach dem Neustart die Internet- oder DSL-Lampe nicht oder blinkt sie rot, "
            "rufen Sie bitte die Hotline an.",
        ),
        tags=("Router", "Modem", "FRITZ!Box", "Neustart"),
        finding_ids=ROUTER,
    ),
    StarterArticle(
        key="router-not-reachable.en",
        language="en",
        problem="The router's settings page does not open",
        symptoms=(
            "The router's address (e.g. http://192.168.178.1 for a FRITZ!Box, or "
            "http://192.168.1.1) does not load or times out. The internet may still work; often "
            "this is how a hanging router shows first."
        ),
        solution=_steps(
            "Restart the router: unplug it, wait 30 seconds, plug it in again and give it up to "
            "three minutes until the lights look as usual.",
            "Check that the computer is on your own home network, not the guest Wi-Fi or a "
            "phone's hotspot: the settings page is blocked there.",
            "Type the address exactly, with “http://”, or use the router's name (e.g. "
            "http://fritz.box).",
            "Disconnect any VPN program: the home network cannot be reached through the VPN.",
            "If the router's address was changed: on Windows, “ipconfig” in the Command Prompt "
            "shows it as “Default Gateway”; on a Mac, System Settings > Network > Details > "
            "TCP/IP > Router.",
            "If the internet or DSL light stays off or blinks red after the restart, please call "
            "the hotline.",
        ),
        tags=("router", "modem", "FRITZ!Box", "restart"),
        finding_ids=ROUTER,
    ),
    StarterArticle(
        key="updates-pending.de",
        language="de",
        problem="Updates warten auf die Installation",
        symptoms=(
            "Der Assistent meldet wartende Updates, wartende Sicherheitsupdates oder einen "
            "nötigen Neustart. Manchmal erscheint „Neustart erforderlich“, oder das "
            "Herunterfahren dauert lange."
        ),
        solution=_steps(
            "Arbeit speichern und alle Programme schließen.",
            "Windows: Einstellungen > Windows Update > „Nach Updates suchen“, installieren und "
            "neu starten, wenn Windows darum bittet. Danach noch einmal suchen: Manche Updates "
            "kommen erst nach dem ersten Neustart.",
            "macOS: Apple-Menü > Systemeinstellungen > Allgemein > Softwareupdate.",
            "Linux (Ubuntu): die Aktualisierungsverwaltung öffnen oder im Terminal "
            "„sudo apt update && sudo apt upgrade“ eingeben.",
            "Den Computer dabei am Strom lassen und nicht ausschalten, solange Updates "
            "installiert werden.",
            "Automatische Updates eingeschaltet lassen: Dann sind Sicherheitslücken meist "
            "geschlossen, bevor jemand sie ausnutzt.",
            note="Schlägt ein Update immer wieder fehl, ist oft zu wenig Speicherplatz frei: "
            "siehe „Die Festplatte ist fast voll“.",
        ),
        tags=("Updates", "Sicherheit", "Neustart", "Windows Update"),
        finding_ids=UPDATES,
    ),
    StarterArticle(
        key="updates-pending.en",
        language="en",
        problem="Updates are waiting to be installed",
        symptoms=(
            "The assistant reports waiting updates, waiting security updates or a restart that "
            "is needed. Sometimes “restart required” appears, or shutting down takes long."
        ),
        solution=_steps(
            "Save your work and close all programs.",
            "Windows: Settings > Windows Update > “Check for updates”, install, and restart "
            "when Windows asks. Then check again: some updates only come after the first "
            "restart.",
            "macOS: Apple menu > System Settings > General > Software Update.",
            "Linux (Ubuntu): open Software Updater, or type “sudo apt update && sudo apt "
            "upgrade” in a terminal.",
            "Keep the computer plugged in and do not switch it off while updates are being "
            "installed.",
            "Leave automatic updates on: then security holes are usually closed before anyone "
            "uses them.",
            note="If an update fails again and again, the disk is often too full: see “The "
            "disk is almost full”.",
        ),
        tags=("updates", "security", "restart", "Windows Update"),
        finding_ids=UPDATES,
    ),
)
