"""Runs the assistant: the local web app on 127.0.0.1, shown in a desktop window, in the
default browser, or (headless) only served, with its address printed.

Start-up is kept lean for a quick first result: Qt, pywebview, SQLAlchemy and the export
libraries are imported only when they are first needed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import threading
from dataclasses import dataclass

from assistant.i18n import _, translator
from assistant.language import choose_language
from assistant.logs import mask
from assistant.settings import SettingsStore, data_dir, downloads_dir


@dataclass
class Launch:
    mode: str
    notice: str | None = None


def choose_mode(args: argparse.Namespace, environ=os.environ) -> Launch:
    from assistant.window import display_available

    if args.headless:
        return Launch("headless")
    if args.browser:
        return Launch("browser")
    if not display_available(environ):
        return Launch(
            "headless",
            _(
                "No screen found (neither DISPLAY nor WAYLAND_DISPLAY is set): the assistant "
                "runs without a window. Open the address below in a browser on this computer."
            ),
        )
    return Launch("window")


def run(args: argparse.Namespace) -> int:
    from assistant.build import BuildConfigError, Servers, load_build_config
    from assistant.checks import check_catalogue, make_runner
    from assistant.local_api.app import create_local_app
    from assistant.local_api.context import AssistantContext
    from assistant.local_api.server import LocalServer, bind_loopback
    from assistant.provider.service import ProviderProfiles
    from assistant.quicklinks import QuickLinks, current_os
    from assistant.runs import RunBoard
    from assistant.stopping import stop_on_signals

    folder = data_dir()
    settings = SettingsStore(folder / "settings.json")
    try:
        build = load_build_config()
        servers = Servers.for_launch(
            build, command_line=args.server, stored=settings.load().server_url
        )
        if args.server:
            settings.update(server_url=servers.current)
        catalogue = check_catalogue()
    except (BuildConfigError, ValueError) as err:  # a wrong --server, build.json, ...: say which
        print(f"isp-assistant: {err}", file=sys.stderr)
        return 2
    language = choose_language(args.lang, settings.load().language)
    translator.language.set(language)  # for this thread's messages and the window title
    launch = choose_mode(args)
    if launch.mode == "window":
        from assistant.window import load_qt

        load_qt()  # before any other thread of this process runs (see load_qt)
    try:
        sock = bind_loopback(args.port)
    except OSError as err:
        print(
            _("The assistant cannot use port {port}: {error}").format(port=args.port, error=err),
            file=sys.stderr,
        )
        return 2

    launch_secret = secrets.token_urlsafe(32)
    mask(launch_secret)
    context: AssistantContext | None = None
    premium = _open_premium(folder, servers, build)
    if premium is None:
        return 2

    provider = ProviderProfiles(folder, build)
    provider.load_stored()  # the kept profile at once; the server is asked once served
    board = RunBoard(
        catalogue=catalogue,
        runner=make_runner(
            lambda: context.language if context else language,
            settings=provider.diagnostics_settings,
        ),
        check_allowed=premium.allows_check,
        on_finished=lambda report: _store_in_history(context, report),
    )
    stop_requested = threading.Event()
    context = AssistantContext(
        secret=launch_secret,
        port=sock.getsockname()[1],
        mode=launch.mode,
        language=language,
        settings=settings,
        board=board,
        history_path=folder / "history.db",
        quick_links=QuickLinks(current_os()),
        downloads_dir=downloads_dir(),
        premium=premium,
        provider=provider,
        request_quit=stop_requested.set,
    )
    server = LocalServer(create_local_app(context), sock, before_stop=board.close_threadsafe)
    url = f"http://127.0.0.1:{server.port}/?token={context.secret}"
    with stop_on_signals(stop_requested.set):
        server.start()
        try:
            if launch.notice:
                print(launch.notice, file=sys.stderr, flush=True)
            # The address with its secret, for whoever started the assistant (tests, support).
            print(f"Assistant: {url}", flush=True)
            if launch.mode == "window":
                _run_window(url, context, stop_requested)
            else:
                if launch.mode == "browser":
                    import webbrowser

                    webbrowser.open(url)
                    print(_("Close the assistant with its button or with Ctrl-C."), flush=True)
                while not stop_requested.wait(0.5) and server.running:
                    pass
        finally:
            server.stop()
            premium.close()  # again, should the server not have ended by itself
    return 0


def _open_premium(folder, servers, build):
    """Premium with what is stored here, so the first run already knows the subscription;
    the server is asked in the background once the page is served."""
    from assistant.premium.access import PremiumAccess
    from assistant.premium.errors import PremiumError
    from assistant.premium.texts import error_text

    try:
        premium = PremiumAccess(folder, servers, build)
        premium.service.load_stored()
    except PremiumError as err:  # e.g. this computer's key file is damaged
        print(f"isp-assistant: {error_text(err)}", file=sys.stderr)
        return None
    return premium


def _run_window(url: str, context, stop_requested: threading.Event) -> None:
    from assistant.indicator import GlobalShortcut, IndicatorWindow
    from assistant.window import DesktopWindow

    window = DesktopWindow(url, _("Internet Assistant"))
    context.read_window_text = window.read_text
    context.bring_forward = window.bring_forward
    indicator = IndicatorWindow(
        url.replace("/?token=", "/indicator?token=", 1),
        _("Screen sharing"),
        engine=context.screen_engine or _screen_engine(),
    )
    context.indicator = indicator
    # The assistant closes with its main window; the indicator must not keep it open.
    window.window.events.closed += indicator.close
    shortcut = GlobalShortcut(lambda: _stop_sharing_threadsafe(context))

    def close_when_asked() -> None:
        stop_requested.wait()
        indicator.close()
        window.close()

    threading.Thread(target=close_when_asked, name="quit-watch", daemon=True).start()
    try:
        window.run()
    finally:
        shortcut.stop()


def _screen_engine():
    try:
        import assistant.screen as engine
    except ImportError:
        return None
    return engine


def _stop_sharing_threadsafe(context) -> None:
    """The system-wide shortcut: stop sharing, from pynput's thread."""
    import asyncio
    import logging

    logging.getLogger(__name__).info("the customer stops sharing with the shortcut")
    loop = getattr(context.board, "_loop", None)
    if loop is not None and context.live is not None:
        asyncio.run_coroutine_threadsafe(context.live.stop_all_sharing(), loop)


async def _store_in_history(context, report) -> None:
    import asyncio

    from assistant.verdict import check_status, overall_light

    if context is None:
        return
    overall = overall_light([check_status(result) for result in report.checks])

    def store() -> None:
        # In the worker thread: the first import of SQLAlchemy must not stall the page.
        from assistant.metrics import metrics_of

        context.history().add(
            report_json=report.model_dump_json(),
            overall=overall,
            metrics=metrics_of(report),
            created_at=report.finished_at,
        )

    await asyncio.to_thread(store)
