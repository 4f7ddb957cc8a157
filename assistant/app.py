"""Runs the assistant: a local web app on 127.0.0.1 shown in a desktop window."""

from __future__ import annotations

import argparse
import threading

import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse


def create_local_app() -> FastAPI:
    app = FastAPI()

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return "<!doctype html><title>ISP Assistant</title><h1>ISP Assistant</h1>"

    return app


def run(args: argparse.Namespace) -> int:
    config = uvicorn.Config(
        create_local_app(), host="127.0.0.1", port=args.port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        thread.join(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    print(f"Assistant: http://127.0.0.1:{port}/", flush=True)
    try:
        thread.join()
    except KeyboardInterrupt:
        server.should_exit = True
        thread.join()
    return 0
