"""Derive the reference package data from the shared treaty lists.

    .venv/bin/python scripts/derive_reference_data.py [SHARED_DIR]

Reads ``data/filing/{paris,madrid,hague,wto}_members.csv`` and
``pct_national_phase_time_limits.csv`` and writes ``src/fenghuo/reference/data/jurisdictions.csv``
and ``memberships.csv``, keeping each row's source, as-of date and confirmation status. Chinese
and English names of states come from the CLDR data shipped with Babel; regional offices have
their names written here.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from babel import Locale

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "fenghuo" / "reference" / "data"

REGIONAL = {
    "EM": ("European Union Intellectual Property Office (EUIPO)", "欧盟知识产权局"),
    "EU": ("European Union", "欧盟"),
    "EP": ("European Patent Organisation (EPO)", "欧洲专利局"),
    "WO": ("World Intellectual Property Organization (WIPO)", "世界知识产权组织"),
    "IB": ("International Bureau of WIPO", "世界知识产权组织国际局"),
    "OA": ("African Intellectual Property Organization (OAPI)", "非洲知识产权组织"),
    "AP": ("African Regional Intellectual Property Organization (ARIPO)", "非洲地区知识产权组织"),
    "EA": ("Eurasian Patent Organization (EAPO)", "欧亚专利组织"),
    "BX": ("Benelux Office for Intellectual Property (BOIP)", "比荷卢知识产权局"),
    "GC": ("Patent Office of the Cooperation Council for the Arab States of the Gulf (GCC)",
           "海湾阿拉伯国家合作委员会专利局"),
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else ROOT.parent / "shared"
    filing = shared / "data" / "filing"
    en, zh = Locale.parse("en"), Locale.parse("zh_Hans_CN")
    names: dict[str, tuple[str, str, str]] = {}
    memberships: list[dict[str, str]] = []

    def add_name(code: str, name_en: str, kind: str = "state") -> None:
        code = code.strip().upper()
        if not code or code in names:
            return
        if code in REGIONAL:
            names[code] = (REGIONAL[code][0], REGIONAL[code][1], "regional")
            return
        names[code] = (en.territories.get(code, name_en), zh.territories.get(code, name_en), kind)

    for r in _rows(filing / "paris_members.csv"):
        add_name(r["code"], r["name"])
        memberships.append({"code": r["code"], "treaty": "paris", "in_force_from": "", "status": "member"
                            if r["paris_member"].startswith("yes") else r["paris_member"], "detail": r["basis"],
                            # the shared list has a typo ("no source foundd sources") in its confirmation note
                            "confirmed": r["confirmed"].replace("no source foundd sources", "no source found"),
                            "source": r["source"], "as_of": r["as_of"]})
    for r in _rows(filing / "pct_national_phase_time_limits.csv"):
        add_name(r["code"], r["name"], "regional" if r["kind"] == "regional_office" else "state")
        closed = r["national_route_closed"].strip().lower() == "true"
        months = f"{r['effective_chapter1_months']}/{r['effective_chapter2_months']}"
        memberships.append({"code": r["code"], "treaty": "pct", "in_force_from": "", "status": "member",
                            "detail": f"national phase {months} months"
                                      + (f"; national route closed (via {r['competent_do_eo']})" if closed else ""),
                            "confirmed": r["confirmed"], "source": r["source"], "as_of": r["as_of"]})
    for r in _rows(filing / "madrid_members.csv"):
        add_name(r["designation_code"], r["name"])
        memberships.append({"code": r["designation_code"], "treaty": "madrid",
                            "in_force_from": r["madrid_protocol_date"],
                            "status": r["protocol_in_force_at_status_date"],
                            "detail": f"refusal period: {r['refusal_period']}; individual fee: "
                                      f"{r['individual_fee_art_8_7']}",
                            "confirmed": r["confirmed"], "source": r["source"], "as_of": r["as_of"]})
    for r in _rows(filing / "hague_members.csv"):
        add_name(r["designation_code"], r["name"])
        memberships.append({"code": r["designation_code"], "treaty": "hague",
                            "in_force_from": r["geneva_act_1999_date"] or r["hague_act_1960_date"]
                            or r["hague_union_since"],
                            "status": r["geneva_act_status"],
                            "detail": f"1960 Act: {r['hague_act_1960_date'] or '-'}; 1999 Act: "
                                      f"{r['geneva_act_1999_date'] or '-'}; designable from China: "
                                      f"{r['designable_from_china']}",
                            "confirmed": r["confirmed"], "source": r["source"], "as_of": r["as_of"]})
    for r in _rows(filing / "wto_members.csv"):
        add_name(r["code"], r["name"])
        memberships.append({"code": r["code"], "treaty": "wto", "in_force_from": "", "status": r["wto_member"],
                            "detail": f"TRIPS applies: {r['trips_applies']}", "confirmed": r["confirmed"],
                            "source": r["source"], "as_of": r["as_of"]})
    for code in REGIONAL:
        add_name(code, REGIONAL[code][0])
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "jurisdictions.csv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Derived by scripts/derive_reference_data.py from shared/data/filing (WIPO treaty status lists, "
                 "PCT Applicant's Guide); names: Unicode CLDR via Babel; regional offices written by Fenghuo.\n")
        w = csv.writer(fh)
        w.writerow(["code", "name_en", "name_zh", "kind"])
        for code in sorted(names):
            w.writerow([code, *names[code]])
    with (OUT / "memberships.csv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Derived by scripts/derive_reference_data.py from shared/data/filing; source, as_of and "
                 "confirmed are kept per row.\n")
        w2 = csv.DictWriter(fh, fieldnames=["code", "treaty", "in_force_from", "status", "detail", "confirmed",
                                            "source", "as_of"])
        w2.writeheader()
        for m in sorted(memberships, key=lambda m: (m["code"], m["treaty"])):
            w2.writerow(m)
    deadlines = ROOT / "src" / "fenghuo" / "deadlines" / "data"
    deadlines.mkdir(parents=True, exist_ok=True)
    with (deadlines / "pct_time_limits.csv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Derived by scripts/derive_reference_data.py from pct_national_phase_time_limits.csv (WIPO PCT "
                 "Applicant's Guide national chapters).\n")
        w3 = csv.writer(fh)
        w3.writerow(["code", "chapter1_months", "chapter2_months", "closed", "via", "late_entry", "confirmed",
                     "source", "as_of"])
        for r in _rows(filing / "pct_national_phase_time_limits.csv"):
            w3.writerow([r["code"], r["effective_chapter1_months"], r["effective_chapter2_months"],
                         r["national_route_closed"].strip().lower(), r["competent_do_eo"],
                         r["extension_or_late_entry_note"], r["confirmed"], r["source"], r["as_of"]])
    print(f"{len(names)} jurisdictions, {len(memberships)} memberships written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
