"""Where report files live: the shipped corpus (never written), the data directory (reports added at run time),
the deleted area (every removed or replaced version, kept) and the list of hidden shipped reports."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from pathlib import Path

from bot.config import Config
from bot.errors import ConflictError, NotFoundError, ReadError
from bot.files import SUPPORTED_SUFFIXES, atomic_write, file_sha256, remove_temp_files, report_files, sha256_bytes
from bot.ingest import read_documents, sniff

_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")  # anything but word characters, dots, dashes and hanzi
MAX_STEM_BYTES = 120  # file names stay far below the 255-byte limit of common file systems


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


def _hidden_path(cfg: Config) -> Path:
    return cfg.data_dir / "hidden.json"


def hidden(cfg: Config) -> dict[str, str]:
    """Shipped reports an administrator removed: file name -> sha256 of the bytes removed."""
    try:
        data = json.loads(_hidden_path(cfg).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _set_hidden(cfg: Config, names: dict[str, str]) -> None:
    cfg.data_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(_hidden_path(cfg), json.dumps(names, ensure_ascii=False, indent=1))


def visible_files(cfg: Config) -> list[Path]:
    """The report files the index holds: shipped ones not hidden, then the data directory's."""
    gone = hidden(cfg)
    shipped = [p for p in report_files(cfg.corpus_dir) if gone.get(p.name) != file_sha256(p)]
    return shipped + list(report_files(cfg.data_dir))


def _keep_version(cfg: Config, name: str) -> None:
    """Move the retired copy of `name` into the deleted area under a name no other version has."""
    backup = cfg.data_dir / f".{name}.old"
    if not backup.exists():
        return
    trash = cfg.data_dir / ".deleted"
    trash.mkdir(parents=True, exist_ok=True)
    stem, suffix = Path(name).stem, Path(name).suffix
    backup.replace(trash / f"{stem}.{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}{suffix}")


def _retire(cfg: Config, path: Path) -> Callable[[], None]:
    """Take a report out of the visible set (kept, never destroyed); returns the undo."""
    if path.parent.resolve() == cfg.corpus_dir.resolve():
        before = hidden(cfg)
        _set_hidden(cfg, {**before, path.name: file_sha256(path)})
        return lambda: _set_hidden(cfg, before)
    backup = path.with_name(f".{path.name}.old")
    path.replace(backup)
    return lambda: backup.replace(path)


def _conflict(cfg: Config, name: str, data: bytes) -> Path | None:
    stem, sha = Path(name).stem, sha256_bytes(data)
    for p in visible_files(cfg):
        if p.stem == stem:
            return p
        if file_sha256(p) == sha:
            raise ConflictError(f"these bytes are already indexed as {p.name} (id {p.stem}): nothing to add")
    return None


def add(cfg: Config, indexed: dict, filename: str, data: bytes, replace: bool, update: Callable[[], dict]) -> list[str]:
    """Check, store and index one uploaded report; everything is undone when a step fails."""
    name = safe_name(filename)
    sniff(name, data)
    docs = read_documents(Path(name), data)  # raises ReadError before anything is written
    existing = _conflict(cfg, name, data)
    if existing is not None and not replace:
        raise ConflictError(f"a report with the id {existing.stem} exists ({existing.name}): send replace=true "
                            "to replace it (the old version is kept), or rename the file")
    undo = _retire(cfg, existing) if existing is not None else (lambda: None)
    cfg.data_dir.mkdir(parents=True, exist_ok=True)
    target = cfg.data_dir / name
    try:
        atomic_write(target, data)
        update()
    except BaseException:
        target.unlink(missing_ok=True)
        undo()
        raise
    if existing is not None:
        _keep_version(cfg, existing.name)
    return [d.id if len(docs) == 1 else f"{Path(name).stem}#{d.id.rsplit('#', 1)[-1]}" for d in docs]


def delete(cfg: Config, indexed: dict, doc_id: str, update: Callable[[], dict]) -> list[str]:
    """Take the file holding doc_id out of the index; the bytes are kept in the deleted area or hidden list."""
    name = next((f for f, row in indexed.items() if doc_id in row["docs"]), None)
    if name is None:
        raise NotFoundError(f"no document {doc_id!r} in the index")
    path = next((p for p in visible_files(cfg) if p.name == name), None)
    if path is None:
        raise NotFoundError(f"the file of {doc_id!r} is gone from the corpus: run `python -m bot index update`")
    undo = _retire(cfg, path)
    try:
        update()
    except BaseException:
        undo()
        raise
    _keep_version(cfg, path.name)
    return list(indexed[name]["docs"])


def reconcile(cfg: Config, indexed: dict) -> dict:
    """Start-up repair after a crash: temp files of dead writers removed from the data and index directories;
    each `.name.old` backup restored when its report is still indexed and has no file (the write never
    committed), else moved to the deleted area (the replacement or removal had gone through). Nothing is lost."""
    removed = remove_temp_files(cfg.data_dir, dead_only=True) + remove_temp_files(cfg.index_dir, dead_only=True)
    out: dict = {"temp_files_removed": removed, "restored": [], "kept_as_deleted": []}
    if not cfg.data_dir.is_dir():
        return out
    for backup in sorted(cfg.data_dir.glob(".*.old")):
        name = backup.name[1:-len(".old")]
        target = cfg.data_dir / name
        same_stem = any(p.stem == Path(name).stem for p in report_files(cfg.data_dir))
        if name in indexed and not target.exists() and not same_stem:
            backup.replace(target)
            out["restored"].append(name)
        else:
            _keep_version(cfg, name)
            out["kept_as_deleted"].append(name)
    return out
