"""Command line: `python -m bot ...` or `govbot ...`. Heavy modules are imported inside commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import BotError


def _config(ctx: click.Context, **overrides):
    from .config import load_config

    return load_config(ctx.obj.get("config_path"), **overrides)


def _fail(exc: BotError, code: int = 2) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="TOML config file (default: BOT_CONFIG or ./bot.toml).")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """Question answering over Chinese government information-disclosure annual reports."""
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path


# ---------------------------------------------------------------- corpus
@cli.group()
def corpus() -> None:
    """Read the reports in a corpus directory."""


def _read_corpus(directory: Path):
    from .ingest import load_corpus

    docs, failures = load_corpus(directory)
    for path, reason in failures:
        click.echo(f"skipped {path}: {reason}", err=True)
    return docs


@corpus.command("list")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def corpus_list(ctx: click.Context, directory: Path | None, as_json: bool) -> None:
    """List the documents found in DIRECTORY (default: the configured corpus)."""
    directory = directory or _config(ctx).corpus_dir
    docs = _read_corpus(directory)
    for d in docs:
        row = {"id": d.id, "file": d.file, "title": d.title, "body": d.body, "region": d.region,
               "level": d.level, "year": d.year, "published": d.published, "kind": d.kind,
               "sections": d.sections, "chars": len(d.text)}
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            click.echo(f"{d.id:32} {d.year or '-':>5} {d.body or '-':16} {len(d.sections):3} sections  {d.title}")
    sys.exit(0 if docs else 1)


@corpus.command("show")
@click.argument("doc_id")
@click.option("--corpus", "directory", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.pass_context
def corpus_show(ctx: click.Context, doc_id: str, directory: Path | None) -> None:
    """Print one cleaned document with its section tree."""
    directory = directory or _config(ctx).corpus_dir
    docs = {d.id: d for d in _read_corpus(directory)}
    doc = docs.get(doc_id)
    if doc is None:
        click.echo(f"error: no document {doc_id!r}; `python -m bot corpus list` shows the ids", err=True)
        sys.exit(1)
    click.echo(f"# {doc.title}\nid: {doc.id}  body: {doc.body}  region: {doc.region} ({doc.level})  "
               f"year: {doc.year}  published: {doc.published}  kind: {doc.kind}\n")
    last: tuple[str, ...] = ()
    for p in doc.paragraphs:
        if p.section != last and p.section:
            depth = len(p.section) - 1
            click.echo("\n" + "  " * depth + "§ " + p.section[-1])
            last = p.section
        if not p.is_heading:
            click.echo("  " * len(p.section) + p.text)


# ---------------------------------------------------------------- index
@cli.group()
def index() -> None:
    """Build, update and inspect the search index."""


def _index_options(f):
    f = click.option("--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Corpus directory (default: configured).")(f)
    f = click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Index directory (default: configured).")(f)
    return f


@index.command("build")
@_index_options
@click.pass_context
def index_build(ctx: click.Context, corpus_dir: Path | None, index_dir: Path | None) -> None:
    """Build the index from scratch."""
    from .indexer import build_index

    cfg = _config(ctx, corpus_dir=corpus_dir, index_dir=index_dir)
    try:
        report = build_index(cfg, progress=lambda msg: click.echo(msg, err=True))
    except BotError as exc:
        _fail(exc)
    click.echo(json.dumps(report, ensure_ascii=False))


@index.command("update")
@_index_options
@click.pass_context
def index_update(ctx: click.Context, corpus_dir: Path | None, index_dir: Path | None) -> None:
    """Embed only new or changed documents and drop removed ones."""
    from .indexer import update_index

    cfg = _config(ctx, corpus_dir=corpus_dir, index_dir=index_dir)
    try:
        report = update_index(cfg, progress=lambda msg: click.echo(msg, err=True))
    except BotError as exc:
        _fail(exc)
    click.echo(json.dumps(report, ensure_ascii=False))


@index.command("status")
@_index_options
@click.pass_context
def index_status(ctx: click.Context, corpus_dir: Path | None, index_dir: Path | None) -> None:
    """Show what the index holds and whether it is stale."""
    from .indexer import index_status as status

    cfg = _config(ctx, corpus_dir=corpus_dir, index_dir=index_dir)
    try:
        click.echo(json.dumps(status(cfg), ensure_ascii=False, indent=2))
    except BotError as exc:
        _fail(exc)


# ---------------------------------------------------------------- retrieve / ask / eval
def _questions(questions: tuple[str, ...]):
    if questions == ("-",):
        for line in sys.stdin:
            if line.strip():
                yield line.rstrip("\n")
    else:
        yield " ".join(questions)


@cli.command()
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("-k", "top_k", type=int, default=None, help="Hits per question.")
@click.option("--json", "as_json", is_flag=True)
@click.argument("questions", nargs=-1, required=True)
@click.pass_context
def retrieve(ctx: click.Context, index_dir: Path | None, top_k: int | None, as_json: bool,
             questions: tuple[str, ...]) -> None:
    """Show the passages retrieved for QUESTION (or '-' to read one question a line from stdin)."""
    from .retrieve import Retriever

    cfg = _config(ctx, index_dir=index_dir, top_k=top_k)
    try:
        retriever = Retriever.open(cfg)
    except BotError as exc:
        _fail(exc)
    for q in _questions(questions):
        try:
            hits = retriever.run(q, top_k=cfg.top_k)
        except BotError as exc:
            click.echo(json.dumps({"question": q, "error": str(exc), "hits": []}, ensure_ascii=False))
            continue
        rows = [{"source": h.chunk.doc_id, "section": h.chunk.section_path, "text": h.chunk.text,
                 "score": round(h.score, 5)} for h in hits]
        if as_json:
            click.echo(json.dumps({"question": q, "hits": rows}, ensure_ascii=False))
        else:
            click.echo(f"? {q}")
            for i, r in enumerate(rows, 1):
                click.echo(f"  {i}. [{r['source']} | {r['section']}] {r['score']:.4f}  {r['text'][:120]}")


@cli.command()
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--json", "as_json", is_flag=True)
@click.option("--llm/--no-llm", default=None, help="Use the configured generative endpoint (default: when configured).")
@click.argument("questions", nargs=-1, required=True)
@click.pass_context
def ask(ctx: click.Context, index_dir: Path | None, as_json: bool, llm: bool | None,
        questions: tuple[str, ...]) -> None:
    """Answer QUESTION with citations ('-' reads one question a line; follow-ups use earlier lines)."""
    from .service import Service

    cfg = _config(ctx, index_dir=index_dir)
    try:
        service = Service.open(cfg)
    except BotError as exc:
        _fail(exc)
    history: list = []
    for q in _questions(questions):
        try:
            ans = service.ask(q, history=history, use_llm=llm)
        except BotError as exc:
            out = {"question": q, "error": str(exc), "answer": str(exc), "found": False, "citations": []}
            click.echo(json.dumps(out, ensure_ascii=False) if as_json else f"error: {exc}")
            continue
        history = (history + [(q, ans)])[-6:]
        if as_json:
            click.echo(json.dumps(ans.to_json(), ensure_ascii=False))
        else:
            click.echo(ans.answer)
            click.echo("")


@cli.command("eval")
@click.argument("qa_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def eval_cmd(ctx: click.Context, qa_file: Path, index_dir: Path | None, as_json: bool) -> None:
    """Score the bot on a QA file (format of shared/qa/dev.jsonl)."""
    from .evaluate import run_eval, format_report

    cfg = _config(ctx, index_dir=index_dir)
    try:
        report = run_eval(cfg, qa_file)
    except BotError as exc:
        _fail(exc)
    click.echo(json.dumps(report, ensure_ascii=False, indent=2) if as_json else format_report(report))


@cli.command()
@click.option("--host", default=None)
@click.option("--port", type=int, default=None)
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Start the web chat (/) and the HTTP API (/api)."""
    from .server import run_server

    cfg = _config(ctx, host=host, port=port)
    try:
        run_server(cfg)
    except BotError as exc:
        _fail(exc)


def main() -> None:
    cli(obj={})


if __name__ == "__main__":
    main()
