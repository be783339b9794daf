"""The layer chain of docs/architecture.md, checked on every import the code makes.

Each app may import apps below it in the chain and never one above it or beside it; that also rules out cycles
between apps. Imports inside functions count the same as module-level ones: a lazy import is still a dependency.
Migrations are left out (they name the apps whose state they move).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. Apps on one line sit side by side and may not import each other.
LAYERS: list[tuple[str, ...]] = [
    ("core",),
    ("accounts",),
    ("hours",),
    ("schools",),
    ("content",),
    ("assessments",),
    ("courses",),
    ("badges",),
    ("certificates",),
    ("xapi", "exchange"),
    ("lms",),
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def _modules_imported(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.append((node.lineno, ".".join(base + ([node.module] if node.module else []))))
            elif node.module:
                found.append((node.lineno, node.module))
    return found


def _violations() -> list[str]:
    problems = []
    for app, rank in RANK.items():
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            package = ".".join(relative.with_suffix("").parts[:-1]) or app
            for line, module in _modules_imported(ast.parse(path.read_text(encoding="utf-8")), package):
                target = module.split(".")[0]
                if target == app or target not in RANK:
                    continue
                if RANK[target] >= rank:
                    direction = "beside" if RANK[target] == rank else "above"
                    problems.append(f"{relative}:{line} imports {module} ({target} is {direction} {app})")
    return problems


def test_every_import_points_down_the_layer_chain():
    assert _violations() == []


def test_the_chain_covers_every_app_with_python_code():
    apps = {
        path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name not in {"tests", "bench", "scripts"}
    }
    assert apps <= set(RANK), f"apps missing from the layer chain: {sorted(apps - set(RANK))}"


def test_the_walk_finds_an_upward_import(tmp_path):
    tree = ast.parse("def f():\n    from certificates.models import Certificate\n")
    assert _modules_imported(tree, "hours") == [(2, "certificates.models")]
    relative = ast.parse("from ..models import X\n")
    assert _modules_imported(relative, "badges.views") == [(1, "badges.models")]
