"""The server's state: the Service once the index is open, and what the start-up build is doing."""

from __future__ import annotations

import logging
import threading

from bot.config import Config
from bot.errors import BotError, IndexMissingError
from bot.service import Service
from bot.text import redact_paths

log = logging.getLogger("bot.server")


class AppState:
    def __init__(self, cfg: Config, service: Service | None = None):
        self.cfg = cfg
        self.service = service
        self.status = "ready" if service else "starting"
        self.progress = ""

    def _progress(self, msg: str) -> None:
        self.progress = msg
        log.info("index: %s", msg)

    def open_service(self) -> None:
        """Open the index, building it first when missing or built by another version."""
        try:
            self.status = "building"
            service = Service.open(self.cfg, build_if_missing=True, progress=self._progress)
            repaired = service.reconcile()
            if repaired["temp_files_removed"] or repaired["restored"] or repaired["kept_as_deleted"]:
                log.warning("start-up repair after a crash: %s", repaired)
            self.service = service
            self.status = "ready"
        except BotError as exc:
            self.status = "error"
            self.progress = str(exc)
            log.error("cannot open the index: %s", exc)

    def open_in_background(self) -> None:
        threading.Thread(target=self.open_service, name="open-index", daemon=True).start()

    def get_service(self) -> Service:
        if self.service is None:
            raise IndexMissingError(f"the index is not ready ({self.status}: {redact_paths(self.progress)}); "
                                    "wait for the build to finish or run `python -m bot index build`")
        return self.service
