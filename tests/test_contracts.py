"""The layer contracts (pyproject.toml [tool.importlinter]) hold, and a violation fails them.

`make contracts` (and `make test`) run `lint-imports` on the project itself; these tests
run it on a copy with one deliberate violation each, to show the contracts bite.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root)},
    )


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("contracts")
    shutil.copytree(ROOT / "portal", target / "portal")
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_project_keeps_every_contract():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # the domain reaching back up into a page
        ("portal/registration/retry.py", "import portal.merchant.routes", "nothing points back"),
        # the protocol reading the request
        ("portal/wechat/shapes.py", "from flask import request", "no Flask request"),
        # validation touching the database
        ("portal/validation.py", "import portal.db", "validation is pure"),
        # the fake WeChat using the real client
        ("portal/sandbox/rules.py", "import portal.wechat.client", "sandbox shares only"),
        # a page calling WeChat while serving a request
        ("portal/staff/routes.py", "from portal.wechat import client", "No WeChat call"),
    ],
)
def test_a_deliberate_violation_fails(copy, module, line, broken):
    path = copy / module
    original = path.read_text()
    path.write_text(original + f"\n{line}  # deliberate violation\n")
    try:
        result = lint(copy)
    finally:
        path.write_text(original)
    assert result.returncode != 0
    text = " ".join(result.stdout.split())
    assert "BROKEN" in text and broken in text, text[-1500:]


def test_importing_the_sandbox_loads_no_portal_machinery():
    """What import-linter cannot see: a package's front file importing at run time."""
    code = "import sys, portal.sandbox; print(sorted(m for m in sys.modules if m.startswith('portal')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    loaded = set(eval(out.stdout))  # noqa: S307 (our own printed list)
    shared = {m for m in loaded if not m.startswith("portal.sandbox")}
    assert shared == {
        "portal",
        "portal.db",
        "portal.migrations",
        # the SQL of the migrations (data only), loaded with portal.db
        "portal.schema",
        "portal.schema.consoles",
        "portal.schema.golive",
        "portal.schema.notify",
        "portal.schema.registration",
        "portal.paths",
        "portal.timefmt",
        "portal.wechat",
        "portal.wechat.crypto",
    }


def import_cycles(package: str) -> list[list[str]]:
    """Strongly connected groups of modules in ``package``'s import graph, type-only
    imports and imports inside functions included (import-linter leaves those out)."""
    import grimp

    graph = grimp.build_graph(package, exclude_type_checking_imports=False)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(module: str) -> None:  # Tarjan's algorithm
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return cycles


def test_the_portal_has_no_import_cycle_not_even_a_type_only_one():
    assert import_cycles("portal") == []


def test_the_cycle_check_sees_a_type_only_cycle(copy, monkeypatch):
    target = copy / "portal" / "registration" / "timing.py"
    original = target.read_text()
    target.write_text(
        original.replace(
            "from typing import Any\n",
            "from typing import TYPE_CHECKING, Any\n\nif TYPE_CHECKING:\n"
            "    from portal.registration.outcomes import Decision  # noqa: F401\n",
        )
    )
    monkeypatch.syspath_prepend(str(copy))
    try:
        import sys as system

        for name in [m for m in system.modules if m == "portal" or m.startswith("portal.")]:
            monkeypatch.delitem(system.modules, name)
        found = import_cycles("portal")
    finally:
        target.write_text(original)
    assert any("portal.registration.timing" in group for group in found)
