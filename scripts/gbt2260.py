"""Build the GB/T 2260 division data: the project's TSV from the public sources, and the
browser's compact JSON from the TSV.

Usage:
  .venv/bin/python scripts/gbt2260.py
      writes static/data/gbt2260.json from portal/data/gbt2260.tsv (run after editing it)
  .venv/bin/python scripts/gbt2260.py import MUMUY_DIR CN_GB2260_DIR
      rewrites portal/data/gbt2260.tsv from checkouts of github.com/mumuy/data_location
      (list.json, history.json, list2.json) and github.com/cn/GB2260 (mca/*.tsv)

Why a union of years: a unified social credit code keeps the division code of the
registry that issued it (GB 32100-2015 §4.3), and divisions are merged and renumbered
every year, so codes of abolished divisions are still on valid licences.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal import divisions  # noqa: E402

STATIC = ROOT / "static" / "data" / "gbt2260.json"
HEADER = """\
# GB/T 2260 中华人民共和国行政区划代码: county level and above, current and historic.
# Columns: code, name, status (tab-separated). Built by scripts/gbt2260.py import.
# current: github.com/mumuy/data_location list.json, version 2026年4月 (commit a40c560a,
#   MIT), compiled from 民政部《中华人民共和国行政区划代码》and 国务院 approvals;
#   Hong Kong and Macao appear only as 810000 and 820000 (that repository's district
#   codes there are its own, not GB/T 2260), and Taiwan as 710000.
# historic: codes no longer current, from mumuy/data_location history.json and the
#   民政部 lists of 1980-12 to 2019-04 mirrored at github.com/cn/GB2260 mca/ (commit
#   1173e8b5); the name is the division's latest.
# statistical: extra codes of 国家统计局《统计用区划代码》(development zones and the
#   like, mumuy/data_location list2.json): some registries in such zones issue codes
#   with them, so they count as known.
"""
#: That repository's own codes for districts of Hong Kong, Macao and Taiwan.
CUSTOM = re.compile(r"^(8[12](?!0000)\d{4}|83\d{4})$")


def load_json(path: Path) -> dict[str, str]:
    return {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items()
            if re.fullmatch(r"\d{6}", k) and not CUSTOM.match(k)}  # fmt: skip


def import_sources(mumuy: Path, cn: Path) -> None:
    current = load_json(mumuy / "list.json")
    historic = load_json(mumuy / "history.json")
    statistical = load_json(mumuy / "list2.json")
    for tsv in sorted((cn / "mca").glob("*.tsv")):  # oldest first: later names win
        for line in tsv.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 4 and re.fullmatch(r"\d{6}", parts[2]):
                historic[parts[2]] = parts[3]
    if "710000" in historic:
        current["710000"] = historic["710000"]
    rows = {code: (name, "current") for code, name in current.items()}
    for code, name in statistical.items():
        rows.setdefault(code, (name, "statistical"))
    for code, name in historic.items():
        rows.setdefault(code, (name, "historic"))
    lines = [f"{code}\t{name}\t{status}" for code, (name, status) in sorted(rows.items())]
    divisions.DATA.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")


def browser_json() -> str:
    """The browser's copy, exactly as written to static/data/gbt2260.json."""
    return json.dumps(divisions.browser_data(), ensure_ascii=False, separators=(",", ":")) + "\n"


def main(argv: list[str]) -> None:
    if argv[:1] == ["import"]:
        import_sources(Path(argv[1]), Path(argv[2]))
        divisions.table.cache_clear()
        divisions.city_stems.cache_clear()
    STATIC.parent.mkdir(parents=True, exist_ok=True)
    STATIC.write_text(browser_json(), encoding="utf-8")
    print(f"{len(divisions.table())} divisions -> {STATIC.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
