"""The category tree a new installation starts with: IT topics an ISP's customers ask
about. (seed key, German name, English name, sub-categories as the same triples.)
Admins change it freely afterwards (`categories.py`)."""

from __future__ import annotations

Entry = tuple[str, str, str]

STARTER_TREE: tuple[tuple[Entry, tuple[Entry, ...]], ...] = (
    (
        ("internet", "Internet & Router", "Internet & router"),
        (
            ("internet.connection", "Verbindung & Störungen", "Connection & outages"),
            ("internet.router", "Router einrichten", "Setting up the router"),
            ("internet.speed", "Geschwindigkeit", "Speed"),
        ),
    ),
    (
        ("wifi", "WLAN & Heimnetz", "Wi-Fi & home network"),
        (
            ("wifi.coverage", "WLAN-Abdeckung & Mesh", "Wi-Fi coverage & mesh"),
            ("wifi.devices", "Geräte verbinden", "Connecting devices"),
            ("wifi.nas", "Netzwerkspeicher (NAS)", "Network storage (NAS)"),
        ),
    ),
    (
        ("email", "E-Mail", "E-mail"),
        (
            ("email.setup", "Konto einrichten", "Setting up an account"),
            ("email.spam", "Spam & Phishing", "Spam & phishing"),
            ("email.migration", "Postfach umziehen", "Moving a mailbox"),
        ),
    ),
    (
        ("windows", "Windows", "Windows"),
        (
            ("windows.install", "Installation & Updates", "Installation & updates"),
            ("windows.slow", "Langsamer PC", "Slow PC"),
            ("windows.errors", "Fehlermeldungen", "Error messages"),
        ),
    ),
    (
        ("macos", "macOS", "macOS"),
        (
            ("macos.setup", "Einrichtung & Updates", "Setup & updates"),
            ("macos.icloud", "iCloud & Apple-ID", "iCloud & Apple ID"),
        ),
    ),
    (
        ("linux", "Linux", "Linux"),
        (
            ("linux.desktop", "Linux-Desktop", "Linux desktop"),
            ("linux.server", "Server & Kommandozeile", "Servers & command line"),
        ),
    ),
    (
        ("mobile", "Smartphones & Tablets", "Smartphones & tablets"),
        (
            ("mobile.android", "Android", "Android"),
            ("mobile.ios", "iPhone & iPad", "iPhone & iPad"),
            ("mobile.transfer", "Daten übertragen", "Transferring data"),
        ),
    ),
    (
        ("printers", "Drucker & Scanner", "Printers & scanners"),
        (
            ("printers.setup", "Drucker einrichten", "Setting up a printer"),
            ("printers.scan", "Scannen", "Scanning"),
        ),
    ),
    (
        ("security", "Sicherheit & Viren", "Security & viruses"),
        (
            ("security.malware", "Viren & Schadsoftware entfernen", "Removing viruses & malware"),
            ("security.passwords", "Passwörter & Konten", "Passwords & accounts"),
            ("security.privacy", "Datenschutz", "Privacy"),
        ),
    ),
    (
        ("backup", "Datensicherung & Datenrettung", "Backup & data recovery"),
        (
            ("backup.setup", "Backup einrichten", "Setting up backups"),
            ("backup.recovery", "Daten retten", "Recovering data"),
        ),
    ),
    (
        ("office", "Office-Programme", "Office software"),
        (
            ("office.word", "Textverarbeitung", "Word processing"),
            ("office.excel", "Tabellenkalkulation", "Spreadsheets"),
            ("office.m365", "Microsoft 365 & Cloud", "Microsoft 365 & cloud"),
        ),
    ),
    (
        ("tv", "TV & Streaming", "TV & streaming"),
        (
            ("tv.box", "TV-Box & Smart-TV", "TV box & smart TV"),
            ("tv.streaming", "Streaming-Dienste", "Streaming services"),
        ),
    ),
    (
        ("telephony", "Telefonie & VoIP", "Telephony & VoIP"),
        (
            ("telephony.landline", "Festnetz & Telefone", "Landline & phones"),
            ("telephony.voip", "VoIP einrichten", "Setting up VoIP"),
        ),
    ),
    (
        ("smarthome", "Smart Home", "Smart home"),
        (
            ("smarthome.assistants", "Sprachassistenten", "Voice assistants"),
            ("smarthome.cameras", "Kameras & Sicherheit", "Cameras & security"),
        ),
    ),
    (
        ("gaming", "Gaming & Konsolen", "Gaming & consoles"),
        (
            ("gaming.consoles", "Konsolen", "Consoles"),
            ("gaming.pc", "PC-Spiele", "PC games"),
            ("gaming.latency", "Ping & Verbindung", "Ping & connection"),
        ),
    ),
    (
        ("hardware", "Kaufberatung & Hardware", "Buying advice & hardware"),
        (
            ("hardware.pc", "PC & Notebook kaufen", "Buying a PC or laptop"),
            ("hardware.upgrade", "Aufrüsten & Reparatur", "Upgrades & repair"),
        ),
    ),
    (
        ("web", "Web & eigene Website", "Web & own website"),
        (
            ("web.website", "Website erstellen", "Building a website"),
            ("web.domains", "Domains & Hosting", "Domains & hosting"),
        ),
    ),
)
