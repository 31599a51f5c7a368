"""Official-fee estimates from the dated fee table (``data/fees.csv``).

Why never a single converted total: fees are due in different currencies on different dates, and a
table row is only as good as its date. Each estimate lists the rows it used with currency, the fee
table date, the source and its confirmation status, sums per currency, and always says "official
fees only" (no attorney or translation costs). A route without data says so instead of guessing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fenghuo.core import labels
from fenghuo.core.i18n import _

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Fee:
    fee_id: str
    route: str
    office: str
    item: str
    amount: int
    currency: str
    basis: str
    source: str
    as_of: str
    confirmed: str

    def to_dict(self) -> dict[str, object]:
        return {"fee_id": self.fee_id, "item": self.item, "amount": self.amount, "currency": self.currency,
                "fee_table_date": self.as_of, "basis": self.basis, "source": self.source,
                "confirmed": self.confirmed}


@dataclass
class FeeEstimate:
    lines: list[Fee] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for line in self.lines:
            out[line.currency] = out.get(line.currency, 0) + line.amount
        return out

    @property
    def complete(self) -> bool:
        return bool(self.lines) and not self.missing

    def summary(self) -> str:
        """``EUR 4475 + CNY 12720 (official fees only)``; partial estimates say what is missing."""
        if not self.lines:
            return _("no fee data in the fee table (official fees only)")
        money = " + ".join(f"{cur} {amount}" for cur, amount in sorted(self.totals.items()))
        note = _("official fees only") if not self.missing else _("official fees only; incomplete")
        return f"{money} ({note})"

    def to_dict(self) -> dict[str, object]:
        return {"lines": [f.to_dict() for f in self.lines], "totals": self.totals, "missing": self.missing,
                "complete": self.complete, "summary": self.summary(), "note": _("official fees only")}


@lru_cache(maxsize=1)
def fee_table() -> list[Fee]:
    with (DATA / "fees.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    return [Fee(r["fee_id"], r["route"], r["office"], r["item"], int(r["amount"]), r["currency"], r["basis"],
                r["source"], r["as_of"], r["confirmed"]) for r in rows]


def _rows(route: str, office: str) -> list[Fee]:
    return [f for f in fee_table() if f.route == route and f.office in (office, "*")]


def estimate(route: str, office: str, *, madrid_individual_fee: bool | None = None) -> FeeEstimate:
    """Fees of one route at one office. ``route``: paris, pct_np, regional, madrid, hague, pph."""
    est = FeeEstimate()
    if route in ("pct_np", "regional_pct"):
        est.lines += _rows("pct_intl", "CN")
        national = _rows("pct_np", office)
        est.lines += national
        if not national:
            est.missing.append(_("national/regional phase fees of %(office)s", office=office))
    elif route == "madrid":
        est.lines += _rows("madrid_basic", "*")
        individual = _rows("madrid", office)
        if individual:
            est.lines += individual
        elif madrid_individual_fee is False:
            est.lines += _rows("madrid_complementary", "*")
        else:
            est.missing.append(_("Madrid individual fee of %(office)s", office=office))
    elif route == "hague":
        est.lines += _rows("hague_basic", "*")
        individual = _rows("hague", office)
        est.lines += individual
        if not individual:
            est.missing.append(_("Hague designation fee of %(office)s", office=office))
    elif route == "pph":
        pass  # CNIPA partners charge no PPH request fee in the table; nothing to estimate
    else:
        est.missing.append(_("direct filing fees of %(office)s", office=office))
    return est


@lru_cache(maxsize=1)
def _item_names_zh() -> dict[str, str]:
    with (DATA / "fee_items_zh.csv").open(encoding="utf-8") as fh:
        return {r["fee_id"]: r["item_zh"] for r in csv.DictReader(line for line in fh if not line.startswith("#"))}


def item_name(fee_id: str, locale: str) -> str | None:
    """A fee item's name in ``locale`` (the fee table's English, or Fenghuo's Chinese)."""
    if locale == "zh_CN" and fee_id in _item_names_zh():
        return _item_names_zh()[fee_id]
    return next((f.item for f in fee_table() if f.fee_id == fee_id), None)


# Pages, exports and the CLI name fee items through the label registry (category "fee_item", by fee_id).
labels.register_resolver("fee_item", item_name)
