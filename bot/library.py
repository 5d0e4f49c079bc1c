"""Where report files live: the shipped corpus (never written), the data directory (reports added at run time),
the deleted area (every removed or replaced version, kept) and the list of hidden shipped reports."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from bot.config import Config
from bot.errors import ConflictError, NotFoundError, ReadError
from bot.files import (
    atomic_write,
    file_sha256,
    recall_checked,
    remove_temp_files,
    report_files,
    safe_name,
    sha256_bytes,
)
from bot.ingest import read_documents, sniff


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


def _versioned(cfg: Config, name: str) -> Path:
    """A path in the deleted area that no other version of `name` has."""
    trash = cfg.data_dir / ".deleted"
    trash.mkdir(parents=True, exist_ok=True)
    stem, suffix = Path(name).stem, Path(name).suffix
    return trash / f"{stem}.{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns() % 10**9:09d}{suffix}"


def _keep_version(cfg: Config, name: str) -> None:
    """Move the retired copy of `name` into the deleted area under a name no other version has."""
    backup = cfg.data_dir / f".{name}.old"
    if backup.exists():
        backup.replace(_versioned(cfg, name))


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


def _parse_ids(name: str, data: bytes) -> list[str]:
    """Document ids of an upload, parsed in full (ReadError naming the file when it cannot be read)."""
    try:
        docs = read_documents(Path(name), data)
    except RecursionError as exc:  # e.g. a JSON-lines export holding [[[[…]]]]: the parsers recurse
        raise ReadError(f"{name} is nested too deeply to read (JSON or HTML thousands of levels deep): export the "
                        "report again as plain text, HTML, PDF or .docx") from exc
    return [d.id for d in docs]  # read under the upload's own name: its ids


def add(cfg: Config, indexed: dict, filename: str, data: bytes, replace: bool, update: Callable[[], dict]) -> list[str]:
    """Check, store and index one uploaded report; everything is undone when a step fails."""
    name = safe_name(filename)
    sniff(name, data)
    ids = recall_checked(name, data)  # parsed by the server before it took the writer lock
    if ids is None:
        ids = _parse_ids(name, data)  # raises ReadError before anything is written
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
    return ids


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
    """Start-up repair after a crash, judged against what the index holds (`indexed`: file -> sha256, docs):
    temp files of dead writers are removed from the data and index directories; a retired copy `.name.old` whose
    bytes the index still holds is restored (the removal or replacement never committed) and the uncommitted file
    that took its place is set aside, else it goes to the deleted area (it had gone through); an upload the index
    never took is set aside in the deleted area; a shipped report hidden by a removal that never committed is shown
    again. Nothing is deleted: whatever is set aside is kept in `data/.deleted/`."""
    removed = remove_temp_files(cfg.data_dir, dead_only=True) + remove_temp_files(cfg.index_dir, dead_only=True)
    out: dict = {"temp_files_removed": removed, "restored": [], "kept_as_deleted": [], "set_aside": [],
                 "shown_again": []}
    if not cfg.data_dir.is_dir():
        return out
    sha = {name: row.get("sha256") for name, row in indexed.items()}
    for backup in sorted(cfg.data_dir.glob(".*.old")):
        name = backup.name[1:-len(".old")]
        target = cfg.data_dir / name
        if sha.get(name) == file_sha256(backup):  # the index still holds these bytes: the write never committed
            if target.exists():
                target.replace(_versioned(cfg, name))
                out["set_aside"].append(name)
            backup.replace(target)
            out["restored"].append(name)
        else:
            _keep_version(cfg, name)
            out["kept_as_deleted"].append(name)
    for path in report_files(cfg.data_dir):
        if sha.get(path.name) is None:  # an upload killed before the index switched to it
            path.replace(_versioned(cfg, path.name))
            out["set_aside"].append(path.name)
    _show_uncommitted(cfg, sha, out)
    return out


def _show_uncommitted(cfg: Config, sha: dict, out: dict) -> None:
    """Shipped reports in the hidden list whose bytes the index still holds: their removal never committed."""
    gone = hidden(cfg)
    back = {n for n, h in gone.items() if sha.get(n) == h and not (cfg.data_dir / n).exists()  # else it is that
            and (cfg.corpus_dir / n).is_file() and file_sha256(cfg.corpus_dir / n) == h}  # file the index holds
    if back:
        _set_hidden(cfg, {n: h for n, h in gone.items() if n not in back})
        out["shown_again"] += sorted(back)
