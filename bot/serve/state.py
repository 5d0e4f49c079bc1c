"""The server's state: the Service once the index is open, and what the start-up build is doing."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import threading

from bot.config import Config
from bot.errors import BotError, IndexMissingError
from bot.serve.writer import IndexWriter
from bot.service import Service
from bot.text import redact_paths

log = logging.getLogger("bot.server")
M_ARENA_MAX = -8  # glibc mallopt parameter


@functools.lru_cache(maxsize=1)
def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def limit_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives each thread that allocates its own heap ("arena"); with a worker pool of 40 threads, memory freed
    by a large parse stays scattered over them. A few shared arenas keep the server's memory near its steady state
    (the GIL serializes Python's allocations anyway). No-op without glibc."""
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(M_ARENA_MAX, arenas)


def release_memory() -> None:
    """Hand freed heap memory back to the system after a write or a large upload (glibc malloc_trim; else no-op)."""
    libc = _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


class AppState:
    def __init__(self, cfg: Config, service: Service | None = None):
        self.cfg = cfg
        self.service = service
        self.status = "ready" if service else "starting"
        self.progress = ""
        self.writer = IndexWriter()

    def _progress(self, msg: str) -> None:
        self.progress = msg
        log.info("index: %s", msg)

    def open_service(self) -> None:
        """Open the index, building it first when missing or built by another version."""
        try:
            self.status = "building"
            service = Service.open(self.cfg, build_if_missing=True, progress=self._progress)
            self.repair(service)
            service.warm()
            self.service = service
            self.status = "ready"
        except BotError as exc:
            self.status = "error"
            self.progress = str(exc)
            log.error("cannot open the index: %s", exc)

    @staticmethod
    def repair(service: Service) -> dict:
        """What a crash left, put right before the first request (see `bot.library.reconcile`)."""
        repaired = service.reconcile()
        if any(repaired.values()):
            log.warning("start-up repair after a crash: %s", repaired)
        return repaired

    def open_in_background(self) -> None:
        threading.Thread(target=self.open_service, name="open-index", daemon=True).start()

    def add_file(self, filename: str, data: bytes, replace: bool = False, checked: list[str] | None = None) -> list[str]:
        """Service.add_file through the single writer (a child process): reads go on meanwhile."""
        return self.writer.add(self.get_service(), filename, data, replace, checked)

    def delete_document(self, doc_id: str) -> list[str]:
        """Service.delete_document through the single writer."""
        return self.writer.delete(self.get_service(), doc_id)

    def get_service(self) -> Service:
        if self.service is None:
            raise IndexMissingError(f"the index is not ready ({self.status}: {redact_paths(self.progress)}); "
                                    "wait for the build to finish or run `python -m bot index build`")
        return self.service
