"""`make demo`: the portal on SQLite with demo data, and the assistant beside it.

Prints the portal's address and the demo logins, starts the assistant (a window when a
display exists, else its address for a browser), and stops both on Ctrl-C. The assistant
runs from an installation of its own whose build configuration pins the demo server's
signing key, as an ISP's build pins its server's (`agent_portal.demo_assistant`).

The portal publishes a provider profile for a demo ISP (name, hotline number, mail
server), and a real SMTP server runs on loopback for it (`agent_portal.demo_mail`), so the
assistant's e-mail check has a healthy server to find.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading

import uvicorn

from agent_portal.app import create_app
from agent_portal.config import PortalSettings, default_data_dir
from agent_portal.demo_assistant import install_assistant
from agent_portal.demo_data import DEMO_CUSTOMERS, DEMO_PASSWORD, DEMO_STAFF, seed_demo_data
from agent_portal.demo_mail import DemoMailServer, start_mail_server
from agent_portal.entitlements.service import assistant_build_config
from agent_portal.provider.settings import ProviderSettings
from agent_portal.server_keys import ServerKeys


def _port_is_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) != 0


def _has_display() -> bool:
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _start_portal(settings: PortalSettings) -> tuple[uvicorn.Server, threading.Thread, str]:
    app = create_app(settings)
    with app.state.session_factory() as session:
        seed_demo_data(db_session=session, time_zone=settings.time_zone, currency=settings.currency)
        session.commit()
    # Ctrl-C stops the demo even while browser tabs keep their live sockets open.
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="portal", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise SystemExit("The portal could not start; see the messages above.")
        thread.join(0.05)
    bound_port = server.servers[0].sockets[0].getsockname()[1]
    return server, thread, f"http://{settings.host}:{bound_port}"


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _demo_settings(mail: DemoMailServer) -> PortalSettings:
    """The portal's settings, with the demo ISP's provider profile. The ISP's servers are
    all on this computer: its mail server, and the portal itself as the internet test
    endpoint, so the demo's checks never reach out of it. Router defaults stay the
    assistant's own."""
    settings = PortalSettings(data_dir=default_data_dir() / "demo")
    free = _port_is_free(settings.host, settings.port)
    port = settings.port if free else _free_port(settings.host)
    provider = ProviderSettings(
        name="Demo ISP",
        hotline_phone="0800 123 4567",
        mail_servers=[mail.server],
        internet_endpoints=[f"{settings.host}:{port}"],
        dns_test_names=["localhost"],
    )
    return settings.model_copy(update={"port": port, "provider": provider})


def _start_assistant(
    settings: PortalSettings, portal_url: str, mail: DemoMailServer
) -> subprocess.Popen:
    keys = ServerKeys.in_data_dir(settings.data_dir)
    build = assistant_build_config(keys=keys, servers=[portal_url])
    python = install_assistant(settings.data_dir / "assistant-installation", build)
    command = [str(python), "-m", "assistant.cli", "--server", portal_url]
    if not _has_display():
        command.append("--headless")
    # The demo mail server's certificate comes from the demo's own CA.
    environment = {**os.environ, "ISP_ASSISTANT_MAIL_CA_FILE": str(mail.ca_file)}
    return subprocess.Popen(command, env=environment)


def _stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _print_welcome(portal_url: str) -> None:
    print()
    print(f"Portal:    {portal_url}/login")
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, role, _name in DEMO_STAFF:
        print(f"  {role:<7} {username}")
    print("Customers sign in to the assistant with their account number and the same password:")
    for number, name, *_rest, tier, _days, _devices in DEMO_CUSTOMERS:
        print(f"  {number}  {name} ({tier})")
    print("Press Ctrl-C to stop.")
    print(flush=True)


def main() -> int:
    mail = start_mail_server(default_data_dir() / "demo" / "mail")
    settings = _demo_settings(mail)
    server, thread, portal_url = _start_portal(settings)
    _print_welcome(portal_url)
    assistant = _start_assistant(settings, portal_url, mail)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    told_assistant_closed = False
    try:
        while not stop.is_set() and thread.is_alive():
            stop.wait(0.5)
            if not told_assistant_closed and assistant.poll() is not None:
                print("The assistant has closed; the portal keeps running. Ctrl-C stops it.")
                told_assistant_closed = True
    except KeyboardInterrupt:
        pass
    finally:
        print("\nStopping ...", flush=True)
        _stop_process(assistant)
        server.should_exit = True
        thread.join(timeout=10)
        mail.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
