"""One HTTP server: the Gradio chat at /, the JSON API under /api, an OpenAI-compatible /v1, embed snippets."""

from __future__ import annotations

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from starlette.routing import Match, Mount

import bot.serve.api as api
import bot.serve.errors as errors
import bot.serve.facts_api as facts_api
import bot.serve.limits as limits
import bot.serve.openai_api as openai_api
import bot.serve.pages as pages
import bot.serve.web as web
from bot.config import Config
from bot.serve.state import AppState
from bot.service import Service


def _methods_for(app: FastAPI, scope: dict, catch_all) -> set[str]:
    """The methods the app's own routes accept on this request's path (empty when none has the path)."""
    routes = [r for r in app.router.routes  # not the chat mounted at /, which takes every path
              if getattr(r, "endpoint", None) is not catch_all and not isinstance(r, Mount)]
    return {m for m in ("GET", "POST", "DELETE", "PUT", "PATCH")
            if any(r.matches({**scope, "method": m})[0] == Match.FULL for r in routes)}


def create_app(cfg: Config, service: Service | None = None, build_in_background: bool = True) -> FastAPI:
    """The whole server; without a service it opens (or builds) the index in the background."""
    state = AppState(cfg, service)
    app = FastAPI(title="govinfo-bot API", version="0.2.0", docs_url=None, openapi_url="/api/openapi.json",
                  redoc_url=None, description="Cited answers from Chinese government information-disclosure "
                                              "annual reports.",
                  default_response_class=errors.SafeJSONResponse)
    if cfg.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cfg.cors_origins),
                           allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type"])
    limits.install(app, cfg)
    errors.install(app)
    for router in (api.router(state), facts_api.router(state), openai_api.router(state), pages.router(state)):
        app.include_router(router)

    def no_such_endpoint(request: Request):  # before the chat's catch-all: API errors keep their shape
        allowed = _methods_for(app, request.scope, no_such_endpoint)
        if allowed:
            raise errors.HTTPError(405, "MethodNotAllowed", f"{request.method} is not allowed on "
                                   f"{request.url.path}: use {', '.join(sorted(allowed))} (see /api/docs)",
                                   {"Allow": ", ".join(sorted(allowed))})
        raise errors.HTTPError(404, "NotFound", f"no endpoint {request.url.path}: see /api/docs")

    for prefix in ("/api", "/v1"):
        app.add_api_route(prefix + "/{rest:path}", no_such_endpoint, include_in_schema=False,
                          methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
    if service is None and build_in_background:
        state.open_in_background()  # repairs what a crash left, then serves
    elif service is not None:
        state.repair(service)
        service.warm()
    # /api/docs: Swagger UI from a local package (pages.py), so the docs render offline
    return gr.mount_gradio_app(app, web.build_ui(state), path="/", css=web.CSS, head=web.HEAD, footer_links=[])
