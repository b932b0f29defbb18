"""GB/T 2260 administrative division codes, as the code and name checks need them.

The data is ``portal/data/gbt2260.tsv`` (its header names the sources and dates): the
current county-level-and-above list, plus every code of earlier years. A unified social
credit code keeps the division of the registry that issued it (GB 32100-2015 §4.3), so a
code issued in 2016 by a county since merged still carries the old county's code: the
union of the years is what a real code can hold. ``scripts/gbt2260.py`` builds the
browser's copy (``static/data/gbt2260.json``) from the same file; a test keeps them equal.

Pure: no Flask, database or network (like ``portal.validation``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "gbt2260.tsv"
#: GB 32100-2015 §4.3: registries of the central government use 100000 (国家), which is
#: not itself a GB/T 2260 entry.
NATIONAL = "100000"


@cache
def table() -> dict[str, tuple[str, str]]:
    """code → (name, status) for every row; status is current, historic or statistical."""
    rows: dict[str, tuple[str, str]] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name, status = line.split("\t")
            rows[code] = (name, status)
    return rows


def known(code: str) -> bool:
    """A division code that exists or existed (county level and above)."""
    return code == NATIONAL or code in table()


def province_known(code: str) -> bool:
    """The code's first two digits are a province-level division (or the national 10)."""
    return code[:2] == NATIONAL[:2] or f"{code[:2]}0000" in table()


@cache
def city_stems() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each current prefecture-level city's name without 市 (广州), with the names of
    divisions that start with it but are another division (吉林省, 吉安县): a name that
    starts with one of those is not a city missing its 市. Longest stems first."""
    rows = table()
    names = sorted({name for name, _ in rows.values()})
    stems = {
        name[:-1]
        for code, (name, status) in rows.items()
        if status == "current" and code.endswith("00") and not code.endswith("0000")
        and name.endswith("市")
    }  # fmt: skip
    out = []
    for stem in sorted(stems, key=lambda s: (-len(s), s)):
        others = tuple(n for n in names if n.startswith(stem) and not n.startswith(f"{stem}市"))
        out.append((stem, others))
    return tuple(out)


def city_without_shi(name: str) -> str | None:
    """The prefecture-level city a company name starts with but without its 市, if any."""
    for stem, others in city_stems():
        if name.startswith(stem) and not name.startswith(f"{stem}市"):
            if not any(name.startswith(other) for other in others):
                return stem
    return None


def browser_data() -> dict[str, Any]:
    """What ``static/js/validation.js`` needs, compactly: every code, and the city stems."""
    return {
        "source": "portal/data/gbt2260.tsv (scripts/gbt2260.py)",
        "codes": "".join(sorted(table())),
        "cities": [[stem, list(others)] for stem, others in city_stems()],
    }
