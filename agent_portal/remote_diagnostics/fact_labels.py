"""What the agent reads for each fact of a diagnostics report: one label per field of the
facts models (`isp_common.diagnostics.facts`), and a text for each code a field can hold.

`LABELS` is keyed by field name; where one name means different things in different
models, "Model.field" holds the label for that model. `CODES` does the same for fields
whose value is one of a few codes: a problem code (how a connection ended, why a name
lookup failed, what is wrong with a certificate) becomes a sentence; a technical code
its usual spelling. A test checks that every field of every facts model has a label and
every code a text, and that each has German in `portal.po`.

English texts are marked with `N_` and translated when the page is drawn.
"""

from __future__ import annotations

from agent_portal.auth.errors import N_

LABELS: dict[str, str] = {
    # memory
    "total_bytes": N_("Total"),
    "available_bytes": N_("Available"),
    "used_bytes": N_("Used"),
    "free_bytes": N_("Free"),
    "percent": N_("Share used"),
    "swap_total_bytes": N_("Swap total"),
    "swap_used_bytes": N_("Swap used"),
    "swap_percent": N_("Swap share used"),
    # processor and processes
    "logical_cpus": N_("Logical processors"),
    "physical_cpus": N_("Processor cores"),
    "CpuFacts.percent": N_("Load"),
    "per_core_percent": N_("Load per core"),
    "frequency_mhz": N_("Clock speed"),
    "max_frequency_mhz": N_("Highest clock speed"),
    "load_average": N_("Load average (1, 5, 15 minutes)"),
    "sample_seconds": N_("Measured over"),
    "process_count": N_("Running processes"),
    "top_cpu": N_("Busiest on the processor"),
    "top_memory": N_("Largest in memory"),
    "pid": N_("Process number"),
    "started_at": N_("Started"),
    "cpu_percent": N_("Processor"),
    "memory_bytes": N_("Memory"),
    "memory_percent": N_("Share of memory"),
    # disks
    "partitions": N_("Partitions"),
    "device": N_("Device"),
    "mountpoint": N_("Mounted at"),
    "fstype": N_("File system"),
    "read_only": N_("Read only"),
    "unknown_reason": N_("Why unknown"),
    "io": N_("Disk activity since the start"),
    "disk": N_("Disk"),
    "read_bytes": N_("Read"),
    "write_bytes": N_("Written"),
    "read_count": N_("Read operations"),
    "write_count": N_("Write operations"),
    "busy_ms": N_("Busy for"),
    "smartctl_version": N_("smartctl version"),
    "disks": N_("Disks"),
    "device_type": N_("Connection type"),
    "model": N_("Model"),
    "passed": N_("Self-test passed"),
    "temperature_c": N_("Temperature"),
    "power_on_hours": N_("Hours in operation"),
    "reallocated_sectors": N_("Reallocated sectors"),
    "pending_sectors": N_("Pending sectors"),
    "percentage_used": N_("Wear"),
    "media_errors": N_("Media errors"),
    # battery, temperatures, uptime
    "present": N_("Battery present"),
    "BatteryFacts.percent": N_("Charge"),
    "plugged_in": N_("Plugged in"),
    "seconds_left": N_("Time left"),
    "health_percent": N_("Capacity compared to new"),
    "cycle_count": N_("Charge cycles"),
    "condition": N_("Condition (as the system says)"),
    "sensors": N_("Sensors"),
    "chip": N_("Chip"),
    "label": N_("Sensor"),
    "current_c": N_("Now"),
    "high_c": N_("High from"),
    "critical_c": N_("Critical from"),
    "boot_time": N_("Started"),
    "uptime_seconds": N_("Running for"),
    # network
    "interfaces": N_("Network interfaces"),
    "name": N_("Name"),
    "is_up": N_("Switched on"),
    "is_loopback": N_("Internal (loopback)"),
    "speed_mbps": N_("Speed"),
    "mtu": N_("Largest packet (MTU)"),
    "addresses": N_("Addresses"),
    "family": N_("Kind"),
    "address": N_("Address"),
    "netmask": N_("Netmask"),
    "GatewayFacts.source": N_("Known from"),
    "answers": N_("Answers"),
    "probes": N_("Ports tried"),
    "port": N_("Port"),
    "outcome": N_("Result"),
    "time_ms": N_("Response time"),
    "detail": N_("Technical detail"),
    "servers": N_("Servers"),
    "DnsFacts.servers": N_("Name servers"),
    "lookups": N_("Name lookups"),
    "DnsLookup.name": N_("Name looked up"),
    "resolver": N_("Name service asked"),
    "ok": N_("Found"),
    "error": N_("Problem"),
    "endpoints": N_("Addresses tried"),
    "endpoint": N_("Address"),
    "reachable": N_("Reachable"),
    "median_latency_ms": N_("Typical response time"),
    "adapter_present": N_("Wi-Fi adapter present"),
    "connected": N_("Connected"),
    "interface": N_("Interface"),
    "ssid": N_("Network name (SSID)"),
    "signal_percent": N_("Signal strength"),
    "rssi_dbm": N_("Signal level"),
    "band": N_("Frequency band"),
    "channel": N_("Channel"),
    "source": N_("Read from"),
    "url": N_("Address"),
    "status_code": N_("HTTP status"),
    # mail
    "protocol": N_("Protocol"),
    "host": N_("Server"),
    "security": N_("Encryption"),
    "tls_ok": N_("Encryption works"),
    "tls_version": N_("TLS version"),
    "tls_problem": N_("Encryption problem"),
    "certificate": N_("Certificate"),
    "subject_cn": N_("Issued to"),
    "names": N_("Valid for"),
    "issuer_cn": N_("Issued by"),
    "not_before": N_("Valid from"),
    "not_after": N_("Valid until"),
    "self_signed": N_("Self-signed"),
    # protection
    "os_family": N_("System"),
    "product": N_("Product"),
    "enabled": N_("Switched on"),
    "profiles": N_("Profiles"),
    "products": N_("Products"),
    "up_to_date": N_("Up to date"),
    "signatures_updated": N_("Signatures updated"),
    "signature_age_days": N_("Age of the signatures"),
    "real_time": N_("Real-time protection"),
    "gatekeeper_enabled": N_("Gatekeeper switched on"),
    "pending_count": N_("Updates waiting"),
    "security_count": N_("Of them security updates"),
    "updates": N_("Updates"),
    "version": N_("Version"),
    "PendingUpdate.security": N_("Security update"),
    "category": N_("Kind"),
    "restart_required": N_("Restart needed"),
    "last_checked": N_("Last looked for updates"),
    "user": N_("User"),
    "is_superuser": N_("Working with full rights"),
    "is_admin": N_("May change the whole computer"),
    "auto_login": N_("Signs in automatically"),
    "auto_login_user": N_("Signs in automatically as"),
    "guest_enabled": N_("Guest account switched on"),
    "unreadable": N_("Could not be read"),
}

# How a connection attempt ended (`outcome`, and a modem's `error`).
CONNECTION_OUTCOMES = {
    "open": N_("Connected"),
    "refused": N_("Refused: the device is there, but nothing takes connections on this port"),
    "timeout": N_("No answer in time"),
    "unreachable": N_("Not reachable: the computer finds no way to this address"),
    "error": N_("The connection failed"),
}
DNS_ERRORS = {
    "refused": N_("The name server refused to answer"),
    "timeout": N_("The name server did not answer in time"),
    "not_found": N_("This name does not exist"),
    "server_failure": N_("The name server failed to look it up"),
    "no_answer": N_("The name exists but has no address"),
    "error": N_("The lookup failed"),
}
TLS_PROBLEMS = {
    "expired": N_("The certificate has expired"),
    "not_yet_valid": N_("The certificate is not valid yet"),
    "self_signed": N_("The certificate is self-signed"),
    "untrusted": N_("The certificate is not from a trusted issuer"),
    "hostname_mismatch": N_("The certificate is for another name"),
    "handshake_failed": N_("The encrypted connection could not be set up"),
    "starttls_not_offered": N_("The server does not offer encryption (STARTTLS)"),
    "starttls_refused": N_("The server refused to switch to encryption (STARTTLS)"),
}

CODES: dict[str, dict[str, str]] = {
    "outcome": CONNECTION_OUTCOMES,
    "ModemFacts.error": CONNECTION_OUTCOMES,
    "DnsLookup.error": DNS_ERRORS,
    "tls_problem": TLS_PROBLEMS,
    "resolver": {"system": N_("The computer's own name service")},
    "GatewayFacts.source": {
        "system": N_("The computer's network settings"),
        "settings": N_("The assistant's settings"),
    },
    "security": {"ssl": "SSL/TLS", "starttls": "STARTTLS", "none": N_("None")},
    "protocol": {"imap": "IMAP", "pop3": "POP3", "smtp": "SMTP"},
    "family": {"ipv4": "IPv4", "ipv6": "IPv6", "mac": N_("Hardware (MAC)")},
    "os_family": {"linux": "Linux", "windows": "Windows", "macos": "macOS", "other": N_("Other")},
    "category": {
        "update": N_("Update"),
        "upgrade": N_("Next system version"),
        "beta": N_("Test version (beta)"),
    },
}

# Fields whose text the computer wrote itself (an error message, an OS's words): shown
# as they are, marked as technical detail, never taken for a sentence of the portal.
TECHNICAL = {"detail", "unknown_reason", "unreadable"}


def _keys(model: str, field: str) -> tuple[str, str]:
    return f"{model}.{field}", field


def label(model: str, field: str) -> str | None:
    """The English label of a model's field, or None when it has none."""
    return next((LABELS[key] for key in _keys(model, field) if key in LABELS), None)


def codes(model: str, field: str) -> dict[str, str] | None:
    """The texts of a field's codes, or None when its values are shown as they are."""
    return next((CODES[key] for key in _keys(model, field) if key in CODES), None)
