"""Files on disk: which are reports, content hashes, and crash-safe writes (temp file, fsync, rename)."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from bot.errors import ReadError

_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")  # anything but word characters, dots, dashes and hanzi
MAX_STEM_BYTES = 120  # file names stay far below the 255-byte limit of common file systems
MAX_CHECKED = 16
_checked: dict[tuple[str, str], list[str]] = {}  # uploads parsed before the writer lock: (name, sha256) -> ids
_checked_lock = threading.Lock()
EXPORT_SUFFIXES = frozenset({".csv", ".jsonl"})  # crawler exports: one article per row
SUPPORTED_SUFFIXES = frozenset({".txt", ".htm", ".html", ".pdf", ".docx"}) | EXPORT_SUFFIXES


def is_report_file(path: Path) -> bool:
    return path.is_file() and not path.name.startswith(".") and path.suffix.lower() in SUPPORTED_SUFFIXES


def report_files(*directories: Path) -> Iterator[Path]:
    """Report files of each existing directory, sorted by name within it (hidden files skipped)."""
    for directory in directories:
        if directory and Path(directory).is_dir():
            yield from (p for p in sorted(Path(directory).iterdir()) if is_report_file(p))


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_sha256(path: Path) -> str:
    """Content hash; cached per (path, size, mtime) so status checks do not re-read an unchanged corpus."""
    st = path.stat()
    return _sha256_of(str(path), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=65536)
def _sha256_of(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def fsync_dir(directory: Path) -> None:
    """Make a rename inside `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_name(name: str) -> str:
    """`.name.tmp-<pid>`, or `.<hash>.tmp-<pid>` when that would pass 255 bytes (the common file-name limit)."""
    tmp = f".{name}.tmp-{os.getpid()}"
    if len(tmp.encode("utf-8")) <= 255:
        return tmp
    return f".{hashlib.sha256(name.encode('utf-8', 'surrogatepass')).hexdigest()[:32]}.tmp-{os.getpid()}"


def atomic_write(path: Path, data: bytes | str | Iterable[str]) -> None:
    """Write to a temporary file beside `path`, fsync it, rename over `path`, fsync the directory.
    A crash at any point leaves either the old file or the new one, never half of one."""
    path = Path(path)
    tmp = path.with_name(temp_name(path.name))
    try:
        with open(tmp, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
            elif isinstance(data, str):
                f.write(data.encode("utf-8"))
            else:
                for piece in data:
                    f.write(piece.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _pid_alive(pid_text: str) -> bool:
    if not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except (ProcessLookupError, OverflowError):  # gone, or not a pid at all
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def remove_temp_files(directory: Path, dead_only: bool = False) -> int:
    """Remove temporary files a killed writer left behind (`.name.tmp-<pid>`); returns how many.
    With `dead_only`, files whose writer process is still running (this one included) are left alone."""
    if not Path(directory).is_dir():
        return 0
    stale = [p for p in Path(directory).iterdir() if p.is_file() and ".tmp-" in p.name
             and not (dead_only and _pid_alive(p.name.rsplit(".tmp-", 1)[1]))]
    for p in stale:
        p.unlink(missing_ok=True)
    return len(stale)


def safe_name(filename: str) -> str:
    """A file name that is safe to write: no directories, no odd characters, a short enough stem."""
    name = _UNSAFE.sub("_", Path(filename or "").name).strip("._")
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1]
    if not stem or suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(f"file {filename!r} is not a supported report: upload "
                        f"{', '.join(sorted(SUPPORTED_SUFFIXES))}")
    return stem + suffix


def remember_checked(name: str, data: bytes, ids: list[str]) -> None:
    """An upload the server checked and parsed before taking the writer lock (the last few are kept)."""
    with _checked_lock:
        while len(_checked) >= MAX_CHECKED:
            _checked.pop(next(iter(_checked)))
        _checked[(name, sha256_bytes(data))] = ids


def recall_checked(name: str, data: bytes) -> list[str] | None:
    """The ids of an upload checked by `remember_checked` (taken: each check serves one write), or None."""
    with _checked_lock:
        return _checked.pop((name, sha256_bytes(data)), None)
