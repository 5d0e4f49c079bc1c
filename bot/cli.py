"""Command line: `python -m bot ...` or `govbot ...`, a thin layer over `bot.Service`.

The service (models, FAISS) is imported inside the commands that need it, so `--help` stays instant."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from bot.config import load_config
from bot.errors import BotError
from bot.models import Turn


def _config(ctx: click.Context, **overrides):
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


def _service(cfg, open_index: bool = True):
    from bot.service import Service  # heavy: models and FAISS

    return Service.open(cfg) if open_index else Service(cfg)


def _read_corpus(directory: Path):
    from bot.service import Service

    docs, failures = Service.read_corpus(directory)
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
               "sections": d.sections, "chars": len(d.text), "url": d.url, "sources": d.sources}
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


@corpus.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace a report of the same id (the old version is kept).")
@click.pass_context
def corpus_import(ctx: click.Context, file: Path, replace: bool) -> None:
    """Add a report or a crawler export (CSV/JSON lines, one article per row) to the data directory and index.
    Export rows that are not annual reports are skipped and counted."""
    from bot.ingest.crawl import read_export

    cfg = _config(ctx)
    data = file.read_bytes()
    try:
        skipped = read_export(data, file.name)[1] if file.suffix.lower() in (".csv", ".jsonl") else 0
        ids = _service(cfg).add_file(file.name, data, replace=replace)
    except BotError as exc:
        _fail(exc)
    click.echo(json.dumps({"imported": ids, "skipped_rows": skipped}, ensure_ascii=False))


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


class _Progress:
    """Index progress on stderr: a tqdm bar per stage (count, rate, time left) on a terminal, plain lines otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self._bar = None
        self._unit = None

    def __call__(self, msg: str) -> None:
        done, total, unit = getattr(msg, "done", None), getattr(msg, "total", None), getattr(msg, "unit", None)
        if not self.tty or done is None or not total:
            self.close()
            click.echo(msg, err=True)
            return
        if self._bar is None or unit != self._unit:
            from tqdm import tqdm

            self.close()
            self._bar = tqdm(total=total, unit=f" {unit}", desc=unit, file=sys.stderr, dynamic_ncols=True)
            self._unit = unit
        self._bar.set_postfix_str(str(msg)[:40], refresh=False)
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _with_progress(run):
    progress = _Progress()
    try:
        return run(progress)
    finally:
        progress.close()


@index.command("build")
@_index_options
@click.pass_context
def index_build(ctx: click.Context, corpus_dir: Path | None, index_dir: Path | None) -> None:
    """Build the index from scratch."""
    cfg = _config(ctx, corpus_dir=corpus_dir, index_dir=index_dir)
    try:
        report = _with_progress(_service(cfg, open_index=False).build)
    except BotError as exc:
        _fail(exc)
    click.echo(json.dumps(report, ensure_ascii=False))


@index.command("update")
@_index_options
@click.pass_context
def index_update(ctx: click.Context, corpus_dir: Path | None, index_dir: Path | None) -> None:
    """Embed only new or changed documents and drop removed ones."""
    cfg = _config(ctx, corpus_dir=corpus_dir, index_dir=index_dir)
    try:
        report = _with_progress(_service(cfg, open_index=False).update)
    except BotError as exc:
        _fail(exc)
    click.echo(json.dumps(report, ensure_ascii=False))


@index.command("status")
@_index_options
@click.pass_context
def index_status(ctx: click.Context, corpus_dir: Path | None, index_dir: Path | None) -> None:
    """Show what the index holds and whether it is stale."""
    cfg = _config(ctx, corpus_dir=corpus_dir, index_dir=index_dir)
    try:
        click.echo(json.dumps(_service(cfg).status(), ensure_ascii=False, indent=2))
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
    cfg = _config(ctx, index_dir=index_dir, top_k=top_k)
    try:
        service = _service(cfg)
    except BotError as exc:
        _fail(exc)
    for q in _questions(questions):
        try:
            hits = service.retrieve(q, top_k=cfg.top_k).hits
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
    from bot.answer import render_text

    cfg = _config(ctx, index_dir=index_dir)
    try:
        service = _service(cfg)
    except BotError as exc:
        _fail(exc)
    history: list[Turn] = []
    for q in _questions(questions):
        try:
            ans = service.ask(q, history=history, use_llm=llm)
        except BotError as exc:
            out = {"question": q, "error": str(exc), "answer": str(exc), "found": False, "citations": []}
            click.echo(json.dumps(out, ensure_ascii=False) if as_json else f"error: {exc}")
            continue
        history = (history + [Turn(q, ans.short)])[-6:]
        if as_json:
            click.echo(json.dumps(ans.to_json(), ensure_ascii=False))
        else:
            click.echo(render_text(ans))
            click.echo("")


@cli.command("eval")
@click.argument("qa_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def eval_cmd(ctx: click.Context, qa_file: Path, index_dir: Path | None, as_json: bool) -> None:
    """Score the bot on a QA file (format of shared/qa/dev.jsonl)."""
    from bot.evaluate import format_report, run_eval

    cfg = _config(ctx, index_dir=index_dir)
    try:
        report = run_eval(_service(cfg), qa_file)
    except BotError as exc:
        _fail(exc)
    click.echo(json.dumps(report, ensure_ascii=False, indent=2) if as_json else format_report(report))


@cli.command()
@click.option("--host", default=None)
@click.option("--port", type=int, default=None)
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Start the web chat (/) and the HTTP API (/api)."""
    from bot.serve import run_server

    cfg = _config(ctx, host=host, port=port)
    try:
        run_server(cfg)
    except BotError as exc:
        _fail(exc)


# ---------------------------------------------------------------- facts
@cli.group()
def facts() -> None:
    """Values of the statutory tables (二, 三, 四) of the indexed reports, and their consistency."""


_FACT_FIELDS = ("doc_id", "body", "year", "table", "row", "row_label", "column", "value", "unit", "start", "end",
                "cell_start", "cell_end", "uncertain")


@facts.command("show")
@click.argument("doc_id")
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def facts_show(ctx: click.Context, doc_id: str, index_dir: Path | None, as_json: bool) -> None:
    """The table values of one document, with the quote of each cell."""
    cfg = _config(ctx, index_dir=index_dir)
    try:
        service = _service(cfg)
        doc = service.document(doc_id)
        rows = [f for f in service.facts() if f.doc_id == doc_id]
    except BotError as exc:
        _fail(exc)
    for f in rows:
        if as_json:
            click.echo(json.dumps({**f.to_json(), "quote": doc.text[f.cell_start:f.cell_end]}, ensure_ascii=False))
        else:
            flag = "  (uncertain)" if f.uncertain else ""
            click.echo(f"{f.table}  {f.row:28} {f.column:12} {f.value:>10} {f.unit}  "
                       f"«{doc.text[f.cell_start:f.cell_end]}»{flag}")
    sys.exit(0 if rows else 1)


@facts.command("export")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.pass_context
def facts_export(ctx: click.Context, csv_file: Path, index_dir: Path | None) -> None:
    """Write every fact of the index to a CSV file (UTF-8 with BOM, opens in Excel)."""
    import csv

    cfg = _config(ctx, index_dir=index_dir)
    try:
        rows = _service(cfg).facts()
    except BotError as exc:
        _fail(exc)
    with open(csv_file, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(_FACT_FIELDS)
        for f in rows:
            writer.writerow([getattr(f, k) for k in _FACT_FIELDS])
    click.echo(json.dumps({"facts": len(rows), "documents": len({f.doc_id for f in rows}), "file": str(csv_file)},
                          ensure_ascii=False))


@facts.command("check")
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def facts_check(ctx: click.Context, index_dir: Path | None, as_json: bool) -> None:
    """Where the reports' tables break the template's identities (exit 1 when any does)."""
    cfg = _config(ctx, index_dir=index_dir)
    try:
        findings = _service(cfg).fact_checks()
    except BotError as exc:
        _fail(exc)
    for f in findings:
        click.echo(json.dumps(f.to_json(), ensure_ascii=False) if as_json else f"{f.doc_id}: {f.message}")
    sys.exit(1 if findings else 0)


# ---------------------------------------------------------------- feedback
@cli.command("feedback")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.option("-n", "limit", type=int, default=None, help="Only the newest N.")
@click.pass_context
def feedback_cmd(ctx: click.Context, as_json: bool, limit: int | None) -> None:
    """The 👍/👎 ratings given on the web page (newest first), with question, answer and comment."""
    from bot.feedback import FeedbackStore

    rows = FeedbackStore.for_data_dir(_config(ctx).data_dir).list(limit)
    for r in rows:
        if as_json:
            click.echo(json.dumps(r, ensure_ascii=False))
            continue
        cites = ", ".join(c.get("source", "") for c in r["citations"])
        note = f"  comment: {r['comment']}" if r["comment"] else ""
        click.echo(f"{r['at']} {'👍' if r['rating'] > 0 else '👎'} {r['question']}\n  answer: {r['answer']}"
                   f"\n  cited: {cites or '-'}{note}")
    if not rows and not as_json:
        click.echo("no feedback yet")


def main() -> None:
    cli(obj={})


if __name__ == "__main__":
    main()
