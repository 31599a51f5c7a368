"""Derive the filing planner's package data from the shared WIPO/CNIPA lists.

    .venv/bin/python -m fenghuo.filing.derive [SHARED_DIR]

Why a derivation instead of a copy: the planner needs the facts in a shape it can query (which
regional system a state belongs to, which fee row prices which route, which PPH programmes a
partner offers) while every derived row keeps its source, as-of date and confirmation status,
so unconfirmed facts stay visibly unconfirmed. Writes ``offices.csv``, ``fees.csv`` and
``pph_partners.csv`` under ``src/fenghuo/filing/data``.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).parent / "data"

#: Fee rows of official_fees.csv → (fee_id, route, office the fee prices). Rows not listed are not
#: used by the planner (and so are not copied).
FEE_MAP: dict[str, tuple[str, str, str]] = {
    "PCT international filing fee at RO/CN": ("pct-intl-filing", "pct_intl", "CN"),
    "PCT international search fee (CNIPA as ISA)": ("pct-intl-search", "pct_intl", "CN"),
    "US national phase basic national fee": ("us-np-basic", "pct_np", "US"),
    "US national phase search fee (ISR by another ISA e.g. CNIPA)": ("us-np-search", "pct_np", "US"),
    "US national phase examination fee": ("us-np-exam", "pct_np", "US"),
    "EP regional phase filing fee (online)": ("ep-np-filing", "pct_np", "EP"),
    "EP designation fee": ("ep-designation", "pct_np", "EP"),
    "EP search fee (supplementary European search)": ("ep-np-search", "pct_np", "EP"),
    "EP examination fee": ("ep-exam", "pct_np", "EP"),
    "JP national phase filing fee": ("jp-np-filing", "pct_np", "JP"),
    "JP examination request fee (ISR by another ISA; IA filed on/after 2019-04-01)": ("jp-exam", "pct_np", "JP"),
    "KR national phase filing fee (electronic translation)": ("kr-np-filing", "pct_np", "KR"),
    "KR examination request fee": ("kr-exam", "pct_np", "KR"),
    "Madrid basic fee (b/w mark)": ("madrid-basic", "madrid_basic", "*"),
    "Madrid individual fee - China": ("madrid-ind-cn", "madrid", "CN"),
    "Madrid individual fee - Australia": ("madrid-ind-au", "madrid", "AU"),
    "Madrid individual fee - Canada": ("madrid-ind-ca", "madrid", "CA"),
    "Madrid individual fee - Brazil": ("madrid-ind-br", "madrid", "BR"),
    "Hague basic fee (one design)": ("hague-basic", "hague_basic", "*"),
    "Hague individual designation fee - China": ("hague-ind-cn", "hague", "CN"),
    "Hague individual designation fee - Japan": ("hague-ind-jp", "hague", "JP"),
    "Hague individual designation fee - EU": ("hague-ind-em", "hague", "EM"),
    "Hague individual designation fee - Republic of Korea": ("hague-ind-kr", "hague", "KR"),
    "Hague individual designation fee - USA": ("hague-ind-us", "hague", "US"),
}

FEE_FIELDS = ["fee_id", "route", "office", "item", "amount", "currency", "basis", "source", "as_of", "confirmed"]
OFFICE_FIELDS = ["code", "systems", "national_route_closed", "via", "utility_model", "source", "as_of"]
PPH_FIELDS = ["code", "office", "bilateral", "ip5", "pct_pph", "programme", "start_date", "status", "confirmed",
              "source", "as_of"]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _amount(value: str) -> str:
    """``1150 + 1150`` (first and second part) → ``2300``; plain numbers unchanged."""
    parts = [p.strip() for p in value.split("+")]
    return str(sum(int(p) for p in parts))


def derive_fees(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    previous_source = ""
    for r in rows:
        # "same" in the shared table means the row above's source: name it, so every fee cites its own.
        source = r["source"].strip()
        if source.lower() == "same" and previous_source:
            source = previous_source
        previous_source = source
        mapped = FEE_MAP.get(r["item"].strip())
        if mapped is None:
            continue
        fee_id, route, office = mapped
        basis = r["basis / notes"].strip()
        if "+" in r["amount"]:
            basis = f"{r['amount'].strip()} ({basis})" if basis else r["amount"].strip()
        out.append({"fee_id": fee_id, "route": route, "office": office, "item": r["item"].strip(),
                    "amount": _amount(r["amount"]), "currency": r["currency"].strip(), "basis": basis,
                    "source": source, "as_of": r["as_of"].strip(), "confirmed": r["confirmed"].strip()})
        if fee_id == "madrid-basic":
            found = re.search(r"complementary fee CHF (\d+) per designation", basis)
            if found:
                out.append({**out[-1], "fee_id": "madrid-complementary", "route": "madrid_complementary",
                            "item": "Madrid complementary fee (designation without individual fee)",
                            "amount": found.group(1), "basis": f"from the notes of '{r['item'].strip()}'"})
    return out


def derive_offices(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for r in rows:
        types = r["protection_types"]
        systems: list[str] = []
        via = r["competent_do_eo"].strip()
        if "European:" in types or (via == "EP" and r["code"] != "EP"):
            systems.append("EP-validation" if "Validation" in types.split("European:", 1)[-1][:40] else "EP")
        if "Eurasian:" in types or (via == "EA" and r["code"] != "EA"):
            systems.append("EA")
        if "ARIPO:" in types or (via == "AP" and r["code"] != "AP"):
            systems.append("AP")
        if via == "OA" and r["code"] != "OA":
            systems.append("OA")
        out.append({"code": r["code"], "systems": ";".join(dict.fromkeys(systems)),
                    "national_route_closed": r["national_route_closed"].strip(), "via": via,
                    "utility_model": "yes" if "utility" in types.lower() else ("unknown" if not types else "no"),
                    "source": r["source"].strip(), "as_of": r["as_of"].strip()})
    return out


def derive_pph(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for r in rows:
        programme = r["programme"].strip()
        low = programme.lower()
        confirmed = r["confirmed"].strip()
        level = "yes" if confirmed.lower() == "yes" else ("partial" if confirmed.lower().startswith("partial")
                                                          else "unconfirmed")
        pct = "yes" if ("pct" in low and "excluded" not in low and "direct" not in low) or "ip5" in low else (
            "no" if "excluded" in low else "not stated")
        out.append({"code": r["partner_code"].strip(), "office": r["partner_office"].strip(),
                    "bilateral": "yes" if "bilateral" in low else "no", "ip5": "yes" if "ip5" in low else "no",
                    "pct_pph": pct, "programme": programme, "start_date": r["start_date"].strip(),
                    "status": r["latest_known_status"].strip(), "confirmed": level,
                    "source": r["source"].strip() if level != "unconfirmed" else confirmed,
                    "as_of": r["as_of"].strip()})
    return out


def _write(name: str, fields: list[str], rows: list[dict[str, str]], header: str) -> None:
    with (OUT / name).open("w", encoding="utf-8", newline="") as fh:
        fh.write(f"# {header}\n")
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    shared = Path(argv[0]) if argv else Path(__file__).resolve().parents[4] / "shared"
    filing = shared / "data" / "filing"
    _write("fees.csv", FEE_FIELDS, derive_fees(_rows(filing / "official_fees.csv")),
           "Derived by python -m fenghuo.filing.derive from shared official_fees.csv (rows the planner prices).")
    _write("offices.csv", OFFICE_FIELDS, derive_offices(_rows(filing / "pct_national_phase_time_limits.csv")),
           "Derived by python -m fenghuo.filing.derive from pct_national_phase_time_limits.csv (regional systems).")
    _write("pph_partners.csv", PPH_FIELDS, derive_pph(_rows(filing / "cnipa_pph_partners.csv")),
           "Derived by python -m fenghuo.filing.derive from cnipa_pph_partners.csv (programmes parsed).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
