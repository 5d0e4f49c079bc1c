"""The manifest beside every index, and the generation scheme that makes updates crash-safe.

Each save writes complete new files named with a fresh generation number (vectors-<gen>.faiss, ...),
then replaces manifest.json (atomic rename) to point at them, then deletes older generations. A crash at
any point leaves a manifest that references complete files.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import IndexMismatchError, IndexMissingError
from bot.files import atomic_write

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
REBUILD = "python -m bot index build"
_GENERATION_FILE = re.compile(r"^(vectors|chunks|docs)-(\d+)\.")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class DocEntry:
    content_hash: str
    file: str
    chunk_ids: list[int] = field(default_factory=list)


# what each manifest.json field must hold; a field of another type makes the manifest damaged, not a crash later
_FIELD_TYPES = {"embedder_id": "str", "dim": "int", "chunker_version": "str", "documents": "dict", "generation": "int",
                "store": "str", "vocabulary": "list[str]", "created_at": "str", "updated_at": "str",
                "format_version": "int"}
_DEFAULTS = {"documents": {}, "generation": 0, "store": "faiss", "vocabulary": [], "created_at": "", "updated_at": "",
             "format_version": FORMAT_VERSION}


def _is(value, kind: str) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if kind.startswith("list["):
        item = str if kind == "list[str]" else int
        return isinstance(value, list) and all(isinstance(v, item) and not isinstance(v, bool) for v in value)
    return isinstance(value, {"str": str, "dict": dict}[kind])


def _doc_entry(doc_id: str, row) -> DocEntry:
    if not (isinstance(row, dict) and isinstance(row.get("content_hash"), str) and isinstance(row.get("file"), str)
            and _is(row.get("chunk_ids", []), "list[int]")):
        raise TypeError(f"the manifest's entry for document {doc_id!r} is not a document entry")
    return DocEntry(**row)


@dataclass
class Manifest:
    embedder_id: str
    dim: int
    chunker_version: str
    documents: dict[str, DocEntry] = field(default_factory=dict)
    generation: int = 0
    store: str = "faiss"  # the backend holding vectors and lexical data (bot.store)
    vocabulary: list[str] = field(default_factory=list)  # names the index's segmenter keeps whole
    created_at: str = ""
    updated_at: str = ""
    format_version: int = FORMAT_VERSION

    @classmethod
    def new(cls, embedder_id: str, dim: int, chunker_version: str, store: str = "faiss") -> Manifest:
        now = _now()
        return cls(embedder_id, int(dim), chunker_version, store=store, created_at=now, updated_at=now)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Manifest:
        """The manifest of a parsed manifest.json; TypeError naming the first field of the wrong type."""
        if not isinstance(data, dict):
            raise TypeError("the manifest is not a JSON object")
        for name, kind in _FIELD_TYPES.items():
            value = data.get(name, _DEFAULTS.get(name))
            if name not in data and name not in _DEFAULTS:
                raise TypeError(f"the manifest has no {name!r}")
            if not _is(value, kind):
                raise TypeError(f"the manifest's {name!r} is {type(value).__name__} {value!r:.40}, not "
                                f"{'an int >= 0' if kind == 'int' else kind}")
        data = dict(data)
        data["documents"] = {k: _doc_entry(k, v) for k, v in data.get("documents", {}).items()}
        return cls(**data)

    @classmethod
    def load(cls, index_dir: Path) -> Manifest:
        path = Path(index_dir) / MANIFEST
        if not path.exists():
            raise IndexMissingError(f"no index in {index_dir}: run `{REBUILD}` to build it from the corpus")
        try:
            manifest = cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            why = exc if isinstance(exc, TypeError) else exc.__class__.__name__  # a TypeError of ours says what
            raise IndexMissingError(f"the index manifest is damaged ({why}): run `{REBUILD}`, "
                                    "which sets the damaged file aside") from exc
        if manifest.format_version != FORMAT_VERSION:
            raise IndexMismatchError(f"the index in {index_dir} has format {manifest.format_version}, this "
                                     f"version reads format {FORMAT_VERSION}: run `{REBUILD}`")
        return manifest

    def save(self, index_dir: Path) -> None:
        self.updated_at = _now()
        atomic_write(Path(index_dir) / MANIFEST, json.dumps(self.to_json(), ensure_ascii=False))


def check_compatible(manifest: Manifest, embedder_id: str, dim: int, chunker_version: str,
                     store: str = "faiss") -> None:
    """Refuse an index built with another embedder, chunker or store: its vectors or chunks mean something else."""
    problems = []
    if manifest.store != store:
        problems.append(f"it is held by the {manifest.store} store but the configuration asks for {store}: "
                        "switching stores is a rebuild")
    if manifest.embedder_id != embedder_id or manifest.dim != dim:
        problems.append(f"it was built with embedder {manifest.embedder_id} (dim {manifest.dim}) but the "
                        f"configuration asks for {embedder_id} (dim {dim})")
    if manifest.chunker_version != chunker_version:
        problems.append(f"it was chunked by {manifest.chunker_version} but this version chunks by {chunker_version}")
    if problems:
        raise IndexMismatchError(f"the index cannot be used: {'; '.join(problems)}. Run `{REBUILD}` to rebuild it "
                                 "(or set the store and embedder back in the configuration: BOT_STORE, BOT_EMBEDDER)")


def _generations(index_dir: Path) -> set[int]:
    return {int(m.group(2)) for p in Path(index_dir).iterdir() if (m := _GENERATION_FILE.match(p.name))}


def new_generation(index_dir: Path) -> int:
    """A generation number above every one on disk, including leftovers of a crashed write."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    current = 0
    if (index_dir / MANIFEST).exists():
        try:
            current = Manifest.load(index_dir).generation
        except (IndexMissingError, IndexMismatchError):
            set_aside(index_dir)
    return max(_generations(index_dir) | {current}) + 1


def set_aside(index_dir: Path) -> Path:
    """Move a damaged or foreign manifest out of the way (kept for inspection), so a build can proceed."""
    path = Path(index_dir) / MANIFEST
    stamp = int(time.time())
    while (aside := path.with_name(f"{MANIFEST}.damaged-{stamp}")).exists():
        stamp += 1  # two in one second (a rebuild from the embedding cache is that fast): keep both
    path.replace(aside)
    return aside


def commit_generation(index_dir: Path, manifest: Manifest) -> None:
    """Point the index at the manifest's generation: the single atomic step of every save."""
    manifest.save(index_dir)


def cleanup_old_generations(index_dir: Path, keep: int) -> None:
    for p in Path(index_dir).iterdir():
        m = _GENERATION_FILE.match(p.name)
        if m and int(m.group(2)) != keep:
            p.unlink(missing_ok=True)
