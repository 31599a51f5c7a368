"""Every code a person may see has words in both languages (fenghuo.core.labels)."""

from __future__ import annotations

import importlib
import pkgutil
from enum import StrEnum
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po

import fenghuo
from fenghuo.core import labels

ROOT = Path(__file__).resolve().parents[2]

#: StrEnums of the models (and the records they store) → their label category.
ENUM_CATEGORIES = {
    "fenghuo.core.models.OrgKind": "org_kind",
    "fenghuo.core.models.Role": "role",
    "fenghuo.tm.models.AlertState": "tm_alert_state",
    "fenghuo.tm.records.MarkStatus": "mark_status",
    "fenghuo.tm.records.MarkFeature": "mark_feature",
    "fenghuo.filing.application.AppType": "app_type",
}

#: Constant code sets of the domains → their label category.
CONSTANT_CATEGORIES = (
    ("fenghuo.disputes.cases", "STAGES", "case_stage"),
    ("fenghuo.disputes.cases", "OUTCOMES", "case_outcome"),
    ("fenghuo.disputes.cases", "LINK_RELATIONS", "case_relation"),
    ("fenghuo.disputes.events", "KINDS", "event_kind"),
    ("fenghuo.disputes.events", "ROLES", "party_role"),
    ("fenghuo.disputes.routing", "ALERT_STATES", "dispute_alert_state"),
    ("fenghuo.disputes.insurance", "CLAIM_STATES", "claim_status"),
    ("fenghuo.disputes.stations", "OUTCOMES", "fair_outcome"),
    ("fenghuo.disputes.stations", "RIGHT_TYPES", "right_type"),
    ("fenghuo.disputes.notify", "EMAIL_MODES", "email_mode"),
    ("fenghuo.disputes.stats", "DIMENSIONS", "stats_dimension"),
    ("fenghuo.disputes.feeds", "FEEDS", "feed"),
    ("fenghuo.tm.alerts", "LEVELS", "risk_level"),
    ("fenghuo.policy.tracking", "REPORT_STATUSES", "report_status"),
    ("fenghuo.policy.tracking", "DIRECTIONS", "direction"),
    ("fenghuo.policy.evaluation", "KINDS", "evaluation_kind"),
    ("fenghuo.policy.evaluation", "COMMENT_STATUSES", "comment_status"),
    ("fenghuo.policy.evaluation", "CRITERIA_IDS", "dac_criterion"),
    ("fenghuo.filing.pph", "PROGRAMMES", "pph_programme"),
    ("fenghuo.reference", "TREATIES", "treaty"),
)

#: Labels that read the same in Chinese (programme names used as such in Chinese practice).
SAME_IN_CHINESE = {"IP5 PPH", "PCT-PPH"}


@pytest.fixture(scope="module")
def zh_catalog() -> dict[str, str]:
    with (ROOT / "src/fenghuo/locale/zh_CN/LC_MESSAGES/messages.po").open("rb") as fh:
        return {m.id: str(m.string or "") for m in read_po(fh) if isinstance(m.id, str) and m.id}


def _all_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(fenghuo.__path__, "fenghuo."):
        if ".migrations" in info.name or ".cli" in info.name or info.name.endswith("__main__"):
            continue
        names.append(info.name)
    return names


def test_every_registered_code_reads_in_both_languages(zh_catalog: dict[str, str]) -> None:
    missing = []
    for category in labels.categories():
        for code in labels.codes(category):
            msgid = labels.msgid(category, code)
            assert msgid, f"{category}.{code} has no msgid"
            zh = zh_catalog.get(msgid)
            if not zh or (zh == msgid and msgid not in SAME_IN_CHINESE):
                missing.append(f"{category}.{code} ({msgid!r})")
            else:
                assert labels.label(category, code, "zh_CN") == zh
                assert labels.label(category, code, "en") == msgid
    assert not missing, f"{len(missing)} codes without a Chinese label: {missing[:20]}"


def test_every_model_strenum_is_registered() -> None:
    found = {}
    for name in _all_modules():
        if name.rsplit(".", 1)[-1] not in ("models", "records", "application"):
            continue
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, StrEnum) and value.__module__ == name:
                found[f"{name}.{attr}"] = value
    assert "fenghuo.tm.models.AlertState" in found  # the enumeration really ran
    unregistered = sorted(set(found) - set(ENUM_CATEGORIES))
    assert not unregistered, f"StrEnums without a label category: {unregistered}"
    for dotted, enum in found.items():
        category = ENUM_CATEGORIES[dotted]
        for member in enum:
            assert labels.has_label(category, member), f"{dotted}.{member.name} has no label in {category}"


@pytest.mark.parametrize(("module", "constant", "category"), CONSTANT_CATEGORIES)
def test_every_domain_code_set_is_registered(module: str, constant: str, category: str) -> None:
    codes = getattr(importlib.import_module(module), constant)
    assert codes, f"{module}.{constant} is empty"
    for code in codes:
        assert labels.has_label(category, code), f"{module}.{constant}: {code!r} has no label in {category}"
        assert labels.label(category, code, "zh_CN") != labels.humanise(str(code))


def test_every_table_has_an_entity_label() -> None:
    import fenghuo.models_registry  # noqa: F401 - registers every domain's models
    from fenghuo.core.models import Base

    tables = set(Base.metadata.tables)
    assert "tm_alerts" in tables and "organisations" in tables
    missing = sorted(t for t in tables if not labels.has_label("entity", t) and not t.startswith("alembic"))
    assert not missing, f"tables the audit log may name without a label: {missing}"


def test_countries_come_from_the_jurisdiction_table_in_both_languages() -> None:
    from fenghuo.reference import list_jurisdictions

    for j in list_jurisdictions():
        assert labels.label("country", j.code, "zh_CN"), j.code
        assert labels.label("country", j.code, "en"), j.code
    assert labels.label("country", "US", "zh_CN") == "美国"
    assert labels.label("country", "us", "en") == "United States"
    assert labels.label("country", "XK", "zh_CN") == "科索沃"  # Babel's territory name when the table has none


def test_wrong_words_of_the_issue_are_gone(zh_catalog: dict[str, str]) -> None:
    assert labels.label("region", "Guangdong", "zh_CN") == "广东"
    assert labels.label("case_outcome", "default_judgment", "zh_CN") == "缺席判决"
    assert labels.label("case_relation", "related_forum", "zh_CN") == "同一纠纷的其他程序"
    assert labels.label("app_type", "invention", "zh_CN") == "发明专利"
    assert zh_catalog["Insurance period"] == "保险期间"
    assert zh_catalog["Start date"] == "起始日期" and zh_catalog["End date"] == "截止日期"
    assert zh_catalog["Responsible person"] == "负责人"


def test_unknown_codes_never_show_an_underscore() -> None:
    assert labels.label("case_outcome", "no_such_outcome", "en") == "no such outcome"
    assert labels.label("forum", "E.D. Tex.", "zh_CN") == "E.D. Tex."  # free text stays as typed
    assert labels.label("risk_level", None) == ""


def test_register_enum_refuses_an_enum_with_a_missing_label() -> None:
    class Colour(StrEnum):
        RED = "red"
        BLUE = "blue"

    with pytest.raises(ValueError, match="blue"):
        labels.register_enum("test_colour", Colour, {"red": "Red"})


def test_audit_entries_read_as_sentences() -> None:
    entry = SimpleNamespace(action="create", actor_label="zhang@example.com", object_type="filing_docket_entries",
                            object_id="16")
    assert labels.audit_sentence(entry, "en") == "zhang@example.com created docket entry #16"
    assert labels.audit_sentence(entry, "zh_CN") == "zhang@example.com 新建了期限条目 #16"
    assert labels.audit_sentence(entry, "zh_CN", display_name="张三").startswith("张三 ")
    nobody = SimpleNamespace(action="update", actor_label="", object_type="users", object_id="1")
    assert labels.audit_sentence(nobody, "zh_CN") == "系统 修改了用户 #1"
    assert labels.audit_sentence(nobody, "en") == "System updated user #1"
    job = SimpleNamespace(action="create", actor_label="watch run", object_type="tm_alerts", object_id="3")
    assert "_" not in labels.audit_sentence(job, "zh_CN") and "监测运行" in labels.audit_sentence(job, "zh_CN")


def test_stored_english_texts_read_again_in_chinese() -> None:
    assert labels.retranslate("pinyin of BEACON", "zh_CN") == "BEACON 的拼音"
    assert labels.retranslate("Paris Convention: direct national filing claiming priority", "zh_CN") != \
        "Paris Convention: direct national filing claiming priority"
    assert labels.retranslate("a note someone typed", "zh_CN") == "a note someone typed"
    assert labels.retranslate("pinyin of BEACON", "en") == "pinyin of BEACON"


def test_composed_docket_labels_read_again_in_chinese() -> None:
    text = "US — Paris Convention: direct national filing claiming priority: file claiming the Chinese priority"
    out = labels.retranslate(text, "zh_CN")
    assert out.startswith("US — ") and "claiming" not in out and "优先权" in out


def test_every_deadline_rule_has_a_title_and_trigger_label(zh_catalog: dict[str, str]) -> None:
    from fenghuo.deadlines.engine import rules as load_rules

    rules = load_rules()
    assert rules
    for rule in rules.values():
        assert labels.has_label("rule", rule.rule_id), rule.rule_id
        assert labels.has_label("rule_trigger", rule.trigger), rule.trigger
        assert zh_catalog.get(rule.title), rule.title
