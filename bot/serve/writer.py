"""Index writes (uploads and deletes) in a child process at low CPU priority.

Parsing, embedding and saving a new index generation then never compete with answering for the server's interpreter
lock, and the operating system gives the answering threads the CPU first. One write runs at a time (the single
writer); reads never wait for it and answer from the generation they hold until the child has committed the new one
and the server has loaded it. The child (`python -m bot.serve.writer`) goes through the public `Service` API like any
front end and exits after one write, so nothing it parsed stays in the server's memory, and a parser that crashes or
hangs takes only the child down. With the Milvus store (one process per database file) writes run in a worker thread
of the server instead.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

from bot.config import Config
from bot.errors import BotError
from bot.files import remember_checked
from bot.serve.errors import HTTPError
from bot.service import Service

log = logging.getLogger("bot.server")
WRITER_NICE = 10  # added to the server's niceness for the writing child
WRITE_TIMEOUT = 1800  # seconds: a write still running then is stopped (a parser that never ends)
ROOT = Path(__file__).resolve().parents[2]


def write(cfg: Config, op: str, args: tuple, checked: list[str] | None = None) -> list[str]:
    """One write through the public API (what the child runs); `checked`: the upload's ids as the server parsed them."""
    service = Service(cfg)
    if op == "add":
        if checked is not None:
            remember_checked(args[0], args[1], checked)  # the upload need not be parsed again
        return service.add_file(*args)
    return service.delete_document(*args)


def _run_child(request: tuple) -> list[str]:
    """Run `write` in `python -m bot.serve.writer`; its BotError is raised here, its death is BrokenPipeError."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)}
    try:
        done = subprocess.run([sys.executable, "-m", "bot.serve.writer"], input=pickle.dumps(request), env=env,
                              capture_output=True, timeout=WRITE_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise BrokenPipeError(f"the write ran over {WRITE_TIMEOUT} s and was stopped") from exc
    try:
        ok, value = pickle.loads(done.stdout)
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as exc:
        tail = done.stderr.decode("utf-8", "replace")[-2000:]
        raise BrokenPipeError(f"the writer exited with {done.returncode} without an answer: {tail}") from exc
    if ok:
        return value
    raise value


class IndexWriter:
    """The single writer: one write at a time, in a child process (or a thread of this one, `in_process`)."""

    def __init__(self, in_process: bool = False):
        self.in_process = in_process
        self._lock = threading.Lock()

    def add(self, service: Service, filename: str, data: bytes, replace: bool = False,
            checked: list[str] | None = None) -> list[str]:
        return self._run(service, "add", (filename, data, replace), checked)

    def delete(self, service: Service, doc_id: str) -> list[str]:
        return self._run(service, "delete", (doc_id,), None)

    def _run(self, service: Service, op: str, args: tuple, checked: list[str] | None) -> list[str]:
        with self._lock:
            if self.in_process or service.cfg.store != "faiss":
                return service.add_file(*args) if op == "add" else service.delete_document(*args)
            try:
                result = _run_child((service.cfg, op, args, checked))
            except BrokenPipeError as exc:
                log.error("index writer failed: %s", exc)
                self._recover(service)
                raise HTTPError(503, "WriteFailed", "the process writing the index stopped before it answered; "
                                "files and index were repaired and agree again: see GET /api/documents and send "
                                "the request again if the change is not there") from exc
            service.update()  # load the generation the child committed (there is nothing left to change)
            return result

    @staticmethod
    def _recover(service: Service) -> None:
        """The child died mid-write (killed, out of memory): repair files against the index on disk, then load it."""
        repaired = Service.open(service.cfg).reconcile()
        log.warning("index writer died; repaired: %s", repaired)
        service.update()


def main() -> None:
    """The child: a pickled (cfg, op, args, checked) on stdin; (True, ids) or (False, BotError) on stdout."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever a library prints goes to stderr, not into the answer
    try:
        os.nice(WRITER_NICE)
    except OSError:  # not permitted here: the write still runs, at the server's priority
        pass
    cfg, op, args, checked = pickle.load(sys.stdin.buffer)
    try:
        result = (True, write(cfg, op, args, checked))
    except BotError as exc:
        result = (False, exc)
    out.write(pickle.dumps(result))
    out.close()


if __name__ == "__main__":
    main()
