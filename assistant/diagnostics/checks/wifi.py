"""How good is the Wi-Fi connection?"""

from __future__ import annotations

from assistant.diagnostics.catalogue import Check
from assistant.diagnostics.settings import Thresholds
from assistant.diagnostics.texts import N_, finding
from isp_common.diagnostics.facts import WifiFacts
from isp_common.diagnostics.report import Category, Finding, QuickLink, Severity

WEAK_SIGNAL_STEPS = [
    N_(
        "Move closer to the router, or remove what stands between them (walls, metal, "
        "mirrors, aquariums)."
    ),
    N_("Put the router up high and in the open, not in a cupboard or behind the TV."),
    N_("For distant rooms, a Wi-Fi repeater or mesh system brings the signal there."),
]


def evaluate(facts: WifiFacts, limits: Thresholds) -> list[Finding]:
    if not facts.adapter_present:
        return [
            finding(
                "internet.wifi.no_adapter",
                Severity.ok,
                N_("This computer does not use Wi-Fi"),
                N_("It has no Wi-Fi adapter, so there is nothing to check here."),
            )
        ]
    if not facts.connected:
        return [
            finding(
                "internet.wifi.not_connected",
                Severity.info,
                N_("Wi-Fi is not connected"),
                N_(
                    "That is fine if this computer is connected by cable. Otherwise, connect it "
                    "to your Wi-Fi network."
                ),
                [N_("Open the Wi-Fi settings and choose your network.")],
                QuickLink.wifi,
            )
        ]
    findings = []
    signal = facts.signal_percent
    network = facts.ssid or "Wi-Fi"
    if signal is not None and signal <= limits.wifi_signal_warning_percent:
        critical = signal <= limits.wifi_signal_critical_percent
        findings.append(
            finding(
                "internet.wifi.weak_signal",
                Severity.critical if critical else Severity.warning,
                N_("The Wi-Fi signal is weak"),
                N_(
                    "The signal of {network} is at {signal} %. With a weak signal the internet "
                    "becomes slow and the connection drops."
                ),
                WEAK_SIGNAL_STEPS,
                QuickLink.wifi,
                network=network,
                signal=signal,
            )
        )
    if facts.band == "2.4 GHz":
        findings.append(
            finding(
                "internet.wifi.band_2_4",
                Severity.info,
                N_("Connected on the 2.4 GHz band"),
                N_(
                    "This band reaches further but is slower, and neighbours' networks share it. "
                    "Near the router, the 5 GHz band is usually faster."
                ),
                [
                    N_(
                        "If your router offers a 5 GHz network, connect to it when you are near "
                        "the router."
                    )
                ],
                QuickLink.wifi,
            )
        )
    if not any(f.severity in (Severity.warning, Severity.critical) for f in findings):
        findings.insert(
            0,
            finding(
                "internet.wifi.ok",
                Severity.ok,
                N_("Wi-Fi is connected"),
                N_("Connected to {network}, signal {signal}."),
                network=network,
                signal=f"{signal:.0f} %" if signal is not None else "?",
            ),
        )
    return findings


async def collect(ctx) -> WifiFacts:
    return await ctx.backend.wifi()


CHECK = Check(
    id="internet.wifi",
    category=Category.internet,
    premium=False,
    title_msgid=N_("Wi-Fi"),
    description_msgid=N_("The Wi-Fi network, its signal strength and band."),
    collect=collect,
    evaluate=evaluate,
    order=50,
)
