"""Derive compact goods/services package data from the shared sources.

    .venv/bin/python scripts/derive_tm_goods_data.py [SHARED_DIR]

Writes ``src/fenghuo/tm/data/cn_similar_groups.csv`` (China's 类似商品和服务区分表, Nice 13th ed.,
2026: groups and items) and ``euipo_similar_terms.csv`` (term pairs graded by EUIPO's Similarity
tool, degree 1–3), so the package works without ../shared.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "fenghuo" / "tm" / "data"


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else ROOT.parent / "shared"
    tm = shared / "data" / "trademarks"
    with (OUT / "cn_similar_groups.csv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Derived from cn-similar-groups-ncl13-2026.jsonl (roy-tian/cn-trademarks, MIT; compiled from "
                 "CNIPA's published 类似商品和服务区分表, Nice 13th ed. 2026). type: group | item.\n")
        w = csv.writer(fh)
        w.writerow(["type", "code", "parent", "name"])
        for line in (tm / "cn-similar-groups-ncl13-2026.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            if row["type"] in ("group", "item"):
                w.writerow([row["type"], row["code"], row.get("parentCode") or "", row["name"]])
    with (tm / "euipo-goods-similarity.csv").open(encoding="utf-8") as src, \
            (OUT / "euipo_similar_terms.csv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Derived from euipo-goods-similarity.csv (EUIPO Similarity tool, public). degree: 1-3.\n")
        w = csv.writer(fh)
        w.writerow(["class1", "term1", "class2", "term2", "degree"])
        for row in csv.DictReader(src):
            if row["Similarity"] in ("1", "2", "3") and row["Class 1"].isdigit() and row["Class 2"].isdigit():
                w.writerow([row["Class 1"], row["Term 1"].strip(), row["Class 2"], row["Term 2"].strip(),
                            row["Similarity"]])
    print(f"written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
