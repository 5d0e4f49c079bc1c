"""Running the server: in the foreground (`python -m bot serve`) or in a thread (benches, browser tests)."""

from __future__ import annotations

import gc
import logging
import socket
import threading
import time

import uvicorn

from bot.config import Config
from bot.serve.app import create_app
from bot.serve.state import limit_malloc_arenas


def serve_in_background(app, host: str = "127.0.0.1"):
    """Serve `app` on a free loopback port from a daemon thread.
    Returns (base url, uvicorn server); set `server.should_exit = True` to stop it."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    gc.freeze()  # what start-up built (models, index, UI) is never scanned again: no long collector pauses
    threading.Thread(target=server.run, name="uvicorn", daemon=True).start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return f"http://{host}:{port}", server


def run_server(cfg: Config) -> None:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("bot").setLevel(logging.INFO)  # libraries stay quiet (faiss logs its CPU probing)
    limit_malloc_arenas()  # before the worker threads exist
    app = create_app(cfg)
    print(f"web chat: http://{cfg.host}:{cfg.port}/   API docs: http://{cfg.host}:{cfg.port}/api/docs", flush=True)
    gc.freeze()  # see serve_in_background
    uvicorn.run(app, host=cfg.host, port=cfg.port, log_level="info")
