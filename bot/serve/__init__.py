"""Serve stage: the HTTP server (API, OpenAI-compatible endpoint, pages) and the Gradio chat."""

from bot.serve.app import create_app
from bot.serve.run import run_server, serve_in_background

__all__ = ["create_app", "run_server", "serve_in_background"]
