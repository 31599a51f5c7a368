"""Policy plans: parse Chinese plan texts (text, HTML, DOCX) into parts, sections and measures with
their responsibility annotations, and resolve the agencies they name.

Public API (everything else is internal)::

    from fenghuo.policy import parse_file, parse_text, load_registry

    plan = parse_file("plan.html")            # Plan; plan.to_dict() is the CLI's JSON contract
    registry = load_registry()                # $FENGHUO_SHARED/data/policy/central_agencies.csv
    registry.resolve("银保监会").current_name  # '国家金融监督管理总局'
"""

from __future__ import annotations

from fenghuo.policy.agencies import (
    AgencyRecord,
    AgencyRegistry,
    PartialDate,
    RegistryError,
    Resolution,
    default_registry_path,
    load_registry,
    name_key,
)
from fenghuo.policy.model import (
    AgencyRef,
    Box,
    Item,
    Measure,
    Part,
    Plan,
    Responsibility,
    Section,
    Table,
    contract_view,
)
from fenghuo.policy.normalize import Normalized, dewrap, fold_width, normalize_blocks, normalize_text, to_simplified
from fenghuo.policy.parse import (
    PlanParseError,
    agency_refs,
    first_sentence,
    parse_blocks,
    parse_file,
    parse_text,
    plan_title,
    resolve_agencies,
)
from fenghuo.policy.readers import ReadError, read_bytes, read_docx, read_html, read_path, read_text
from fenghuo.policy.responsibility import is_generic_actor, parse_annotation, split_annotation

__all__ = [
    "AgencyRecord",
    "AgencyRef",
    "AgencyRegistry",
    "Box",
    "Item",
    "Measure",
    "Normalized",
    "Part",
    "PartialDate",
    "Plan",
    "PlanParseError",
    "ReadError",
    "RegistryError",
    "Resolution",
    "Responsibility",
    "Section",
    "Table",
    "agency_refs",
    "contract_view",
    "default_registry_path",
    "dewrap",
    "first_sentence",
    "fold_width",
    "is_generic_actor",
    "load_registry",
    "name_key",
    "normalize_blocks",
    "normalize_text",
    "parse_annotation",
    "parse_blocks",
    "parse_file",
    "parse_text",
    "plan_title",
    "read_bytes",
    "read_docx",
    "read_html",
    "read_path",
    "read_text",
    "resolve_agencies",
    "split_annotation",
    "to_simplified",
]
