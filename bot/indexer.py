"""Index build and incremental update: corpus -> chunks -> embeddings + BM25 tokens, saved per generation."""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from . import chunk as chunker
from .config import Config
from .errors import IndexMissingError
from .models import Chunk, Document, Paragraph

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


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


# ----------------------------------------------------------------- (de)serialization
def doc_to_json(doc: Document) -> dict:
    return asdict(doc)


def doc_from_json(row: dict) -> Document:
    row = dict(row)
    row["paragraphs"] = [Paragraph(**{**p, "section": tuple(p["section"])}) for p in row["paragraphs"]]
    return Document(**row)


def chunk_to_json(c: Chunk, tokens: list[str], vid: int) -> dict:
    return {**asdict(c), "tokens": tokens, "vid": vid}


def chunk_from_json(row: dict) -> tuple[Chunk, list[str], int]:
    row = dict(row)
    tokens, vid = row.pop("tokens"), row.pop("vid")
    row["section"] = tuple(row["section"])
    return Chunk(**row), tokens, vid


@dataclass
class IndexData:
    """Everything one generation of the index holds, loaded into memory."""

    manifest: "object"
    docs: dict[str, Document]
    files: dict[str, dict]  # file name -> {"sha256", "docs": [ids]}
    chunks: list[Chunk]
    tokens: list[list[str]]
    vids: np.ndarray  # int64 FAISS id of chunks[i]
    store: "object"  # bot.vectors.VectorStore


def _paths(index_dir: Path, gen: int) -> dict[str, Path]:
    return {"vectors": index_dir / f"vectors-{gen}.faiss", "chunks": index_dir / f"chunks-{gen}.jsonl",
            "docs": index_dir / f"docs-{gen}.json"}


def load_index(cfg: Config, embedder=None, check: bool = True) -> IndexData:
    """Open the current generation; refuse an index built with another embedder or chunker."""
    from .embed import make_embedder
    from .manifest import Manifest, check_compatible
    from .vectors import VectorStore

    manifest = Manifest.load(cfg.index_dir)
    if check:
        embedder = embedder or make_embedder(cfg)
        check_compatible(manifest, embedder.id, _dim(embedder), chunker.CHUNKER_VERSION)
    paths = _paths(cfg.index_dir, manifest.generation)
    try:
        saved = json.loads(paths["docs"].read_text(encoding="utf-8"))
        chunks, tokens, vids = [], [], []
        with open(paths["chunks"], encoding="utf-8") as f:
            for line in f:
                c, t, v = chunk_from_json(json.loads(line))
                chunks.append(c), tokens.append(t), vids.append(v)
        store = VectorStore.load(paths["vectors"])
    except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:  # faiss raises RuntimeError
        raise IndexMissingError(
            f"the index in {cfg.index_dir} is damaged ({exc}): run `python -m bot index build`") from exc
    docs = {d["id"]: doc_from_json(d) for d in saved["docs"]}
    return IndexData(manifest, docs, saved["files"], chunks, tokens, np.asarray(vids, dtype=np.int64), store)


def _dim(embedder) -> int:
    return int(embedder.dim)


# ----------------------------------------------------------------- reading the corpus incrementally
_INGEST_MODULES = ("readers", "clean", "sections", "metadata", "ingest", "models")


@functools.lru_cache(maxsize=1)
def _parser_version() -> str:
    """Hash of the ingest code: a parse cached by an older parser is never reused."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in _INGEST_MODULES:
        p = here / f"{name}.py"
        if p.exists():
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


def _cached_parse(cfg: Config, path: Path, sha: str) -> list[Document]:
    """Parsed documents of a file, cached by content hash (PDF parsing dominates a rebuild otherwise)."""
    from .ingest import read_documents

    cache = cfg.index_dir / "parsed" / f"{sha}-{_parser_version()}.json"
    if cache.exists():
        try:
            return [doc_from_json(d) for d in json.loads(cache.read_text(encoding="utf-8"))]
        except (ValueError, KeyError, TypeError):
            cache.unlink(missing_ok=True)  # damaged cache entry: parse again
    docs = read_documents(path)
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_text(json.dumps([doc_to_json(d) for d in docs], ensure_ascii=False), encoding="utf-8")
    tmp.replace(cache)
    return docs

def _scan_corpus(cfg: Config, known_files: dict[str, dict], known_docs: dict[str, Document],
                 progress: Progress) -> tuple[dict[str, Document], dict[str, dict], list[tuple[str, str]]]:
    """Read only files whose bytes changed; reuse parsed documents of unchanged files."""
    from .errors import ReadError
    from .ingest import SUPPORTED_SUFFIXES

    docs: dict[str, Document] = {}
    files: dict[str, dict] = {}
    failures: list[tuple[str, str]] = []
    if not cfg.corpus_dir.is_dir():
        raise IndexMissingError(f"corpus directory {cfg.corpus_dir} does not exist: create it and put reports in it")
    for path in sorted(cfg.corpus_dir.iterdir()):
        if not path.is_file() or path.name.startswith(".") or path.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        sha = file_sha256(path)
        old = known_files.get(path.name)
        if (old and old["sha256"] == sha and old.get("parser") == _parser_version()
                and all(i in known_docs for i in old["docs"])):
            read = [known_docs[i] for i in old["docs"]]
        else:
            progress(f"reading {path.name}")
            try:
                read = _cached_parse(cfg, path, sha)
            except ReadError as exc:
                failures.append((path.name, str(exc)))
                progress(f"skipped {path.name}: {exc}")
                continue
        files[path.name] = {"sha256": sha, "parser": _parser_version(), "docs": [d.id for d in read]}
        for d in read:
            docs[d.id] = d
    return docs, files, failures


def _embed_chunks(embedder, chunks: list[Chunk], progress: Progress, batch: int = 64) -> np.ndarray:
    out = []
    for i in range(0, len(chunks), batch):
        out.append(embedder.embed_documents([c.embed_text for c in chunks[i:i + batch]]))
        progress(f"embedded {min(i + batch, len(chunks))}/{len(chunks)} chunks")
    return np.vstack(out).astype(np.float32) if out else np.zeros((0, _dim(embedder)), dtype=np.float32)


def _chunk_new(docs: list[Document]) -> tuple[list[Chunk], list[list[str]], np.ndarray]:
    from .lexical import tokenize

    chunks, tokens, vids = [], [], []
    for d in docs:
        for n, c in enumerate(chunker.chunk_document(d)):
            chunks.append(c)
            tokens.append(tokenize(c.norm + " " + " ".join(c.section).lower()))
            vids.append(chunker.chunk_id_int(d.id, d.content_hash, n))
    return chunks, tokens, np.asarray(vids, dtype=np.int64)


def _write(cfg: Config, data: IndexData, progress: Progress) -> None:
    """Write a new generation, then switch the manifest to it (last), then drop old generations."""
    from .manifest import cleanup_old_generations, commit_generation, new_generation

    gen = new_generation(cfg.index_dir)
    paths = _paths(cfg.index_dir, gen)
    data.store.save(paths["vectors"])
    tmp = paths["chunks"].with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for c, t, v in zip(data.chunks, data.tokens, data.vids.tolist()):
            f.write(json.dumps(chunk_to_json(c, t, v), ensure_ascii=False) + "\n")
    tmp.replace(paths["chunks"])
    tmp = paths["docs"].with_suffix(".tmp")
    tmp.write_text(json.dumps({"files": data.files, "docs": [doc_to_json(d) for d in data.docs.values()]},
                              ensure_ascii=False), encoding="utf-8")
    tmp.replace(paths["docs"])
    data.manifest.generation = gen
    commit_generation(cfg.index_dir, data.manifest)
    cleanup_old_generations(cfg.index_dir, gen)
    progress(f"index generation {gen} written to {cfg.index_dir}")


def _manifest_docs(data: IndexData) -> dict:
    from .manifest import DocEntry

    by_doc: dict[str, list[int]] = {}
    for c, v in zip(data.chunks, data.vids.tolist()):
        by_doc.setdefault(c.doc_id, []).append(v)
    return {d.id: DocEntry(content_hash=d.content_hash, file=d.file, chunk_ids=by_doc.get(d.id, []))
            for d in data.docs.values()}


def build_index(cfg: Config, progress: Progress = _quiet, embedder=None) -> dict:
    """Build from scratch: every document is read, chunked and embedded."""
    from .embed import make_embedder
    from .manifest import Manifest
    from .vectors import VectorStore

    t0 = time.perf_counter()
    embedder = embedder or make_embedder(cfg)
    docs, files, failures = _scan_corpus(cfg, {}, {}, progress)
    if not docs:
        raise IndexMissingError(f"no readable report in {cfg.corpus_dir}: add .txt/.html/.pdf/.docx files")
    chunks, tokens, vids = _chunk_new(list(docs.values()))
    vectors = _embed_chunks(embedder, chunks, progress)
    store = VectorStore(_dim(embedder))
    store.add(vids, vectors)
    manifest = Manifest.new(embedder_id=embedder.id, dim=_dim(embedder), chunker_version=chunker.CHUNKER_VERSION)
    data = IndexData(manifest, docs, files, chunks, tokens, vids, store)
    manifest.documents = _manifest_docs(data)
    cfg.index_dir.mkdir(parents=True, exist_ok=True)
    _write(cfg, data, progress)
    return {"documents": len(docs), "chunks": len(chunks), "failed": [f for f, _ in failures],
            "seconds": round(time.perf_counter() - t0, 2)}


def update_index(cfg: Config, progress: Progress = _quiet, embedder=None) -> dict:
    """Embed only new or changed documents, remove deleted ones; builds from scratch when no index exists."""
    from .embed import make_embedder
    from .manifest import Manifest

    t0 = time.perf_counter()
    embedder = embedder or make_embedder(cfg)
    try:
        Manifest.load(cfg.index_dir)
    except IndexMissingError:
        progress("no index yet: building from scratch")
        return build_index(cfg, progress, embedder)
    data = load_index(cfg, embedder)
    docs, files, failures = _scan_corpus(cfg, data.files, data.docs, progress)
    old_hash = {i: d.content_hash for i, d in data.docs.items()}
    added = [d for i, d in docs.items() if i not in old_hash]
    changed = [d for i, d in docs.items() if i in old_hash and old_hash[i] != d.content_hash]
    removed = [i for i in old_hash if i not in docs]
    drop = set(removed) | {d.id for d in changed}
    keep = [k for k, c in enumerate(data.chunks) if c.doc_id not in drop]
    chunks_removed = len(data.chunks) - len(keep)
    data.store.remove(np.asarray([v for k, v in enumerate(data.vids.tolist()) if data.chunks[k].doc_id in drop],
                                 dtype=np.int64))
    new_chunks, new_tokens, new_vids = _chunk_new(added + changed)
    if new_chunks:
        data.store.add(new_vids, _embed_chunks(embedder, new_chunks, progress))
    data.chunks = [data.chunks[k] for k in keep] + new_chunks
    data.tokens = [data.tokens[k] for k in keep] + new_tokens
    data.vids = np.concatenate([data.vids[keep], new_vids]).astype(np.int64)
    files_changed = files != data.files
    data.docs, data.files = docs, files
    data.manifest.documents = _manifest_docs(data)
    if added or changed or removed or files_changed:
        _write(cfg, data, progress)
    return {"added": sorted(d.id for d in added), "changed": sorted(d.id for d in changed),
            "removed": sorted(removed), "chunks_added": len(new_chunks),
            "chunks_removed": chunks_removed,
            "documents": len(docs), "chunks": len(data.chunks), "failed": [f for f, _ in failures],
            "seconds": round(time.perf_counter() - t0, 2)}


def index_status(cfg: Config, data: IndexData | None = None) -> dict:
    """What the index holds and whether the corpus has changed since (by file hashes)."""
    data = data or load_index(cfg, check=False)
    on_disk = {}
    if cfg.corpus_dir.is_dir():
        from .ingest import SUPPORTED_SUFFIXES

        on_disk = {p.name: file_sha256(p) for p in sorted(cfg.corpus_dir.iterdir())
                   if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SUPPORTED_SUFFIXES}
    indexed = {name: f["sha256"] for name, f in data.files.items()}
    new = sorted(set(on_disk) - set(indexed))
    gone = sorted(set(indexed) - set(on_disk))
    changed = sorted(n for n in set(on_disk) & set(indexed) if on_disk[n] != indexed[n])
    m = data.manifest
    return {"index_dir": str(cfg.index_dir), "documents": len(data.docs), "chunks": len(data.chunks),
            "embedder": m.embedder_id, "dim": m.dim, "chunker": m.chunker_version,
            "created_at": m.created_at, "updated_at": m.updated_at,
            "stale": bool(new or gone or changed), "new_files": new, "removed_files": gone, "changed_files": changed,
            "years": sorted({d.year for d in data.docs.values() if d.year}),
            "bodies": sorted({d.body for d in data.docs.values() if d.body})}
