"""Reading `netsh wlan show interfaces` in the languages of Swiss and German installations.

netsh translates its labels and values into the language of Windows and offers no
neutral form, so the parser keeps one table of the labels it needs in English, German,
French, Italian and Spanish. What it cannot read it reports as unknown, never as "no
Wi-Fi": a customer whose Windows speaks another language still has an adapter.
"""

from __future__ import annotations

import re

from assistant.diagnostics.errors import Unknown
from assistant.diagnostics.platform._common import band_of_channel, parse_band
from assistant.diagnostics.texts import N_
from isp_common.diagnostics.facts import WifiFacts

# Labels (lower case, spaces normalised) to one name each. Windows 10 shows no band line;
# Windows 11 shows "Band", "Bereich", "Bande", "Banda".
_LABELS = {
    "name": "name",
    "nom": "name",
    "nome": "name",
    "nombre": "name",
    "state": "state",
    "status": "state",
    "état": "state",
    "stato": "state",
    "estado": "state",
    "ssid": "ssid",
    "band": "band",
    "bereich": "band",
    "bande": "band",
    "banda": "band",
    "channel": "channel",
    "kanal": "channel",
    "canal": "channel",
    "canale": "channel",
    "signal": "signal",
    "segnale": "signal",
    "señal": "signal",
    "rssi": "rssi",
    "radio type": "radio",
    "funktyp": "radio",
    "type de radio": "radio",
    "tipo frequenza radio": "radio",
    "tipo di radio": "radio",
    "tipo de radio": "radio",
}
_CONNECTED = {"connected", "verbunden", "connecté", "connessa", "connesso", "conectado"}
# Every other state of the WLAN API is "not connected (yet)"; the English names are those
# of WLAN_INTERFACE_STATE, the others what the installations in these languages print.
_NOT_CONNECTED = {
    "disconnected",
    "disconnecting",
    "associating",
    "authenticating",
    "discovering",
    "not ready",
    "ad hoc network formed",
    "getrennt",
    "déconnecté",
    "disconnessa",
    "disconnesso",
    "desconectado",
}
# The messages netsh prints instead of interfaces; "wlansvc" (the WLAN AutoConfig service
# is not running) keeps its name in every language.
_NO_WIRELESS = ("no wireless interface", "keine drahtlosschnittstelle", "wlansvc")
# Windows 11 24H2 asks for the location permission in the language of Windows, but always
# with the link to the settings page.
_LOCATION = ("privacy-location", "location permission", "standortberechtigung")


def wlan_needs_location(text: str) -> bool:
    return any(marker in text.lower() for marker in _LOCATION)


def _label(key: str) -> str | None:
    return _LABELS.get(" ".join(key.replace("\xa0", " ").split()).lower())


def _interfaces(text: str) -> list[dict[str, str]]:
    """One dict per interface block; a block starts at its name line."""
    interfaces: list[dict[str, str]] = []
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        name = _label(key)
        if not sep or name is None:
            continue
        if name == "name":
            interfaces.append({})
        if interfaces:
            interfaces[-1].setdefault(name, value.strip())
    return interfaces


def _number(text: str) -> float | None:
    match = re.search(r"-?\d+", text)
    return float(match.group()) if match else None


def _connected_facts(interface: dict[str, str]) -> WifiFacts:
    channel_text = interface.get("channel", "")
    channel = int(channel_text) if channel_text.isdigit() else None
    band = parse_band(interface.get("band", ""))
    if band is None and channel is not None:
        band = band_of_channel(channel, interface.get("radio"))
    return WifiFacts(
        adapter_present=True,
        connected=True,
        interface=interface.get("name") or None,
        ssid=interface.get("ssid") or None,
        signal_percent=_number(interface.get("signal", "")),
        rssi_dbm=_number(interface.get("rssi", "")),
        band=band,
        channel=channel,
        source="netsh",
    )


def parse_netsh_wlan(text: str) -> WifiFacts:
    """The first connected interface, else "not connected"; `Unknown` when unreadable."""
    interfaces = _interfaces(text)
    if not interfaces:
        if any(marker in text.lower() for marker in _NO_WIRELESS):
            return WifiFacts(adapter_present=False, source="netsh")
        raise Unknown(
            N_(
                "Windows (netsh) answered about the Wi-Fi in a form this assistant cannot "
                "read: {answer}"
            ),
            answer=" ".join(text.split())[:200],
        )
    states = [interface.get("state", "").lower() for interface in interfaces]
    for interface, state in zip(interfaces, states, strict=True):
        if state in _CONNECTED:
            return _connected_facts(interface)
    unreadable = [state for state in states if state not in _NOT_CONNECTED]
    if unreadable:
        raise Unknown(
            N_("Windows reported a Wi-Fi state this assistant cannot read: {state}"),
            state=unreadable[0] or "?",
        )
    return WifiFacts(
        adapter_present=True, connected=False, interface=interfaces[0].get("name"), source="netsh"
    )
