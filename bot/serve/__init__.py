"""Serve stage: the HTTP server (API, OpenAI-compatible endpoint, pages) and the Gradio chat.

The names are imported on first use, so a child process that imports one module of this package (the index writer)
does not load the web stack."""

from __future__ import annotations

__all__ = ["create_app", "run_server", "serve_in_background"]


def __getattr__(name: str):
    if name == "create_app":
        from bot.serve.app import create_app

        return create_app
    if name in ("run_server", "serve_in_background"):
        import bot.serve.run as run

        return getattr(run, name)
    raise AttributeError(f"module 'bot.serve' has no attribute {name!r}")
