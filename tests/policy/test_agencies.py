"""Agency registry: names as plans write them → canonical agencies, validity and successors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fenghuo.policy import AgencyRegistry, PartialDate, RegistryError, load_registry


def test_loads_the_shared_csv(registry: AgencyRegistry) -> None:
    assert len(registry) == 139
    assert registry.get("cnipa") is not None
    assert registry.get("cnipa").full_name == "国家知识产权局"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("name", "agency_id", "matched_by"),
    [
        ("国家知识产权局", "cnipa", "full_name"),
        ("知识产权局", "cnipa", "alias"),  # annual plans drop 国家
        ("国家林草局", "nfga", "short_name"),
        ("国家林业和草原局", "nfga", "full_name"),
        ("市场监管总局", "samr", "short_name"),
        ("中央宣传部", "pub", "short_name"),
        ("中宣部", "pub", "alias"),
        ("中央宣传部(国家版权局)", "pub", "alias"),
        ("中央宣传部（国家版权局）", "pub", "alias"),  # full-width brackets
        ("國家知識產權局", "cnipa", "full_name"),  # traditional characters
        ("人力资源社会保障部", "mohrss", "short_name"),
        ("国家卫生健康委", "nhc", "short_name"),
        ("广电总局", "nrta", "short_name"),
        ("中央网信办", "cac", "short_name"),
        ("国家监察委员会", "ccdi", "full_name"),  # one of two names of a joint body
        ("农业部", "moa_old", "full_name"),  # not 农业农村部's "农业部(2018前)" alias
        ("最高人民法院", "spc", "full_name"),
        ("中国贸促会", "ccpit", "short_name"),
    ],
)
def test_resolves_names(registry: AgencyRegistry, name: str, agency_id: str, matched_by: str) -> None:
    resolution = registry.resolve(name)
    assert resolution.status == "agency"
    assert resolution.id == agency_id
    assert resolution.matched_by == matched_by


@pytest.mark.parametrize("name", ["金融监管局", "国家专利局", "知识产权", "中央宣传", "国家知识产权总局", "XX部"])
def test_unknown_names_are_reported_not_guessed(registry: AgencyRegistry, name: str) -> None:
    resolution = registry.resolve(name)
    assert resolution.status == "unknown"
    assert resolution.id is None and resolution.record is None and resolution.current_name is None


@pytest.mark.parametrize("name", ["有关部门", "各有关部门", "地方各级人民政府", "各地区", "部际联席会议各成员单位"])
def test_generic_actors_are_not_agencies(registry: AgencyRegistry, name: str) -> None:
    resolution = registry.resolve(name)
    assert resolution.status == "generic"
    assert resolution.id is None


def test_renamed_bodies_point_to_their_successor(registry: AgencyRegistry) -> None:
    cbirc = registry.resolve("银保监会")
    assert cbirc.id == "cbirc"
    assert cbirc.record is not None and cbirc.record.status == "abolished"
    assert cbirc.current_name == "国家金融监督管理总局"
    # two steps: 银监会 → 银保监会 (2018) → 国家金融监督管理总局 (2023)
    assert registry.resolve("银监会").current_name == "国家金融监督管理总局"
    assert registry.resolve("国家林业局").current_name == "国家林业和草原局"
    assert registry.resolve("文化部").current_name == "文化和旅游部"
    assert registry.resolve("国家工商行政管理总局").current_name == "国家市场监督管理总局"
    assert registry.resolve("国务院扶贫办").current_name == "农业农村部"  # → 国家乡村振兴局 → 农业农村部
    # an active body is its own current name
    assert registry.resolve("知识产权局").current_name == "国家知识产权局"


def test_split_body_has_no_single_current_name(registry: AgencyRegistry) -> None:
    cfda = registry.resolve("国家食品药品监督管理总局")
    assert cfda.status == "agency"
    assert cfda.current_name is None
    assert {c.id for c in cfda.current} == {"samr", "nmpa"}


def test_validity_dates(registry: AgencyRegistry) -> None:
    cbirc = registry.get("cbirc")
    assert cbirc is not None
    # valid_to is only "2023"; the successor's exact start (2023-05-18) sharpens it
    assert registry.valid_on(cbirc, date(2021, 10, 9)) is True
    assert registry.valid_on(cbirc, date(2023, 5, 17)) is True
    assert registry.valid_on(cbirc, date(2023, 5, 18)) is False
    assert registry.valid_on(cbirc, date(2017, 6, 1)) is False
    assert registry.valid_on(cbirc, date(2018, 6, 1)) is None  # "2018": the month is not recorded
    nfra = registry.get("nfra")
    assert nfra is not None
    assert registry.valid_on(nfra, date(2023, 5, 17)) is False
    assert registry.valid_on(nfra, date(2023, 5, 18)) is True
    resolution = registry.resolve("银保监会", on=date(2024, 1, 1))
    assert resolution.valid_on is False
    assert resolution.valid_until == date(2023, 5, 17)
    assert registry.resolve("国家数据局", on=date(2023, 10, 24)).valid_on is False
    assert registry.resolve("国家数据局", on=date(2023, 10, 25)).valid_on is True
    assert registry.resolve("外交部", on=date(1990, 1, 1)).valid_on is True


def test_partial_dates() -> None:
    assert PartialDate.parse("2018") == PartialDate(2018)
    assert PartialDate.parse("2020-10") == PartialDate(2020, 10)
    assert PartialDate.parse("2023-05-18") == PartialDate(2023, 5, 18)
    assert PartialDate.parse("") is None
    assert PartialDate(2020, 10).last_day() == date(2020, 10, 31)
    assert PartialDate(2020, 12).last_day() == date(2020, 12, 31)
    assert str(PartialDate(2020, 10)) == "2020-10"
    with pytest.raises(ValueError):
        PartialDate.parse("2023-02-30")
    with pytest.raises(ValueError):
        PartialDate.parse("last year")


HEADER = (
    "id,full_name,official_short,aliases,category,managed_by,status,valid_from,valid_to,predecessor,successor,"
    "note,evidence\n"
)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "agencies.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_ambiguous_names_are_reported(tmp_path: Path) -> None:
    path = _write(tmp_path, "a,甲局,甲局,数据局,x,,active,,,,,,\nb,乙局,乙局,数据局,x,,active,,,,,,\n")
    registry = AgencyRegistry.from_csv(path)
    resolution = registry.resolve("数据局")
    assert resolution.status == "ambiguous"
    assert resolution.id is None
    assert {c.id for c in resolution.candidates} == {"a", "b"}


def test_full_name_beats_another_rows_alias(tmp_path: Path) -> None:
    path = _write(tmp_path, "a,甲局,甲,乙局,x,,active,,,,,,\nb,乙局,乙,,x,,active,,,,,,\n")
    assert AgencyRegistry.from_csv(path).resolve("乙局").id == "b"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("a,甲局,甲,,x,,active,someday,,,,,\n", "valid_from"),
        (",甲局,甲,,x,,active,,,,,,\n", "id and full_name"),
        ("a,甲局,甲,,x,,active,,,,,,\na,乙局,乙,,x,,active,,,,,,\n", "duplicate id a"),
    ],
)
def test_bad_csv_is_reported(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        AgencyRegistry.from_csv(_write(tmp_path, body))


def test_missing_columns_and_file(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("id,name\n", encoding="utf-8")
    with pytest.raises(RegistryError, match="missing columns"):
        AgencyRegistry.from_csv(path)
    with pytest.raises(RegistryError):
        load_registry(tmp_path / "nope.csv")


def test_default_registry_comes_from_fenghuo_shared(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fenghuo.policy import default_registry_path

    monkeypatch.setenv("FENGHUO_SHARED", str(shared_dir))
    assert default_registry_path() == shared_dir / "data/policy/central_agencies.csv"
    assert load_registry().resolve("国家林草局").id == "nfga"
