"""USPTO daily applications adapter (``fixtures/uspto-apc-sample.xml``, hand-written after the public
"Trademark Applications Daily XML DTD" v2.0) and the daily file download, without network.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import httpx
import pytest

from fenghuo.tm.records import MarkFeature, MarkStatus, RecordError, RegisterRecord
from fenghuo.tm.sources import iter_source, sniff, uspto
from fenghuo.tm.sources.uspto import fetch

FIXTURE = Path(__file__).parent / "fixtures" / "uspto-apc-sample.xml"


@pytest.fixture(scope="module")
def items() -> list[RegisterRecord | RecordError]:
    return list(uspto.iter_records(str(FIXTURE), source=FIXTURE.name))


def _by_serial(items: list[RegisterRecord | RecordError]) -> dict[str, RegisterRecord]:
    return {i.application_number: i for i in items if isinstance(i, RegisterRecord)}


# --- parsing --------------------------------------------------------------------------------------


def test_sniffed_despite_the_doctype() -> None:
    assert sniff(FIXTURE.read_bytes()[:8192]) == uspto.FORMAT
    assert sniff(b"<case-file><serial-number>1</serial-number></case-file>") == uspto.FORMAT


def test_broken_case_files_are_errors_and_the_others_parse(items: list) -> None:
    kinds = ["record" if isinstance(i, RegisterRecord) else "error" for i in items]
    assert kinds == ["record", "record", "error", "record", "error", "record"]
    no_serial, bad_date = (i for i in items if isinstance(i, RecordError))
    assert (no_serial.record, no_serial.field, no_serial.source) == ("#3", "serial-number", FIXTURE.name)
    assert (bad_date.record, bad_date.field) == ("97000005", "filing-date")
    assert "20231345" in bad_date.reason
    assert "record 97000005: field filing-date" in str(bad_date)


def test_standard_character_application(items: list) -> None:
    r = _by_serial(items)["97123456"]
    assert r.office == "US" and r.global_id == "US:97123456"
    assert r.mark_text == "HUAWE1" and r.verbal_elements[0].language == "en"
    assert r.feature is MarkFeature.WORD  # drawing code 4: standard characters
    assert r.registration_number is None  # "0000000" means not registered
    assert r.application_date == date(2023, 8, 15)
    assert r.publication_date is None and r.registration_date is None
    # Goods from the GS0091 statement; the CC0000 (colour claim) statement is not goods.
    assert [(g.nice_class, g.terms) for g in r.goods_services] == [
        (9, (("en", "Smartphones; tablet computers; wireless earphones"),))
    ]
    (owner,) = r.applicants
    assert (owner.name, owner.country, owner.identifier) == ("Shenzhen Quicktech Trading Co., Ltd.", "CN", "01")
    assert r.office_status == "630" and dict(r.extra)["mark-drawing-code"] == "4000"


def test_registered_mark_with_two_classes_and_two_owners(items: list) -> None:
    r = _by_serial(items)["86000002"]
    assert r.registration_number == "5123456" and r.status is MarkStatus.REGISTERED
    assert r.feature is MarkFeature.COMBINED  # drawing code 5: words in stylized form
    assert (r.publication_date, r.registration_date) == (date(2017, 3, 21), date(2017, 6, 6))
    assert r.nice_classes == (30, 32)
    assert dict((g.nice_class, g.terms) for g in r.goods_services)[30] == (("en", "Herbal tea"),)
    # A US owner gives a state, not a country.
    assert [(p.name, p.country) for p in r.applicants] == [
        ("Example Beverage Importers Inc.", "US"),
        ("Example Herbal Holdings Limited", "HK"),
    ]


def test_design_mark_collective_code_and_nameless_owner(items: list) -> None:
    r = _by_serial(items)["90000004"]
    assert r.feature is MarkFeature.FIGURATIVE and r.verbal_elements == () and r.mark_text == ""
    assert r.nice_classes == (35,)  # class code 200 (collective membership) is not a Nice class
    assert [p.name for p in r.applicants] == ["Example Tea Growers Association"]
    assert r.status is MarkStatus.ENDED  # 602 abandoned


def test_iter_source_reads_the_fixture_and_a_zip_of_it(tmp_path: Path) -> None:
    archive = tmp_path / "apc240103.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(FIXTURE, "apc240103.xml")
    items = list(iter_source(archive))
    assert len(items) == 6
    assert {i.source for i in items} == {"apc240103.zip!apc240103.xml"}


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("700", MarkStatus.REGISTERED),  # REGISTERED
        ("800", MarkStatus.REGISTERED),  # REGISTERED AND RENEWED
        ("602", MarkStatus.ENDED),  # ABANDONED - FAILURE TO RESPOND
        ("606", MarkStatus.ENDED),  # ABANDONED - NO STATEMENT OF USE FILED
        ("710", MarkStatus.ENDED),  # CANCELLED - SECTION 8
        ("", MarkStatus.UNKNOWN),
        (None, MarkStatus.UNKNOWN),
        ("A1", MarkStatus.UNKNOWN),
    ],
)
def test_status_codes(code: str | None, status: MarkStatus) -> None:
    assert uspto.normalize_status_code(code) is status


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("630", MarkStatus.PENDING),  # NEW APPLICATION - RECORD INITIALIZED NOT ASSIGNED TO EXAMINER
        ("641", MarkStatus.PENDING),  # NON-FINAL ACTION - MAILED
        ("686", MarkStatus.PENDING),  # PUBLISHED FOR OPPOSITION
        ("688", MarkStatus.PENDING),  # NOTICE OF ALLOWANCE - ISSUED
        ("702", MarkStatus.REGISTERED),  # SECTION 8 & 15-ACCEPTED AND ACKNOWLEDGED
        ("730", MarkStatus.PENDING),  # FIRST EXTENSION - GRANTED (intent-to-use application)
        ("774", MarkStatus.PENDING),  # OPPOSITION PENDING
        ("801", MarkStatus.PENDING),  # OPPOSITION PAPERS FILED
        ("900", MarkStatus.EXPIRED),  # EXPIRED
    ],
)
def test_status_codes_inside_mixed_ranges(code: str, status: MarkStatus) -> None:
    assert uspto.normalize_status_code(code) is status


def test_applications_in_a_daily_file_are_pending(items: list) -> None:
    records = _by_serial(items)
    assert records["97123456"].status is MarkStatus.PENDING
    assert records["97000006"].status is MarkStatus.PENDING


# --- download -------------------------------------------------------------------------------------


def test_daily_file_name_and_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FENGHUO_USPTO_DAILY_URL", raising=False)
    assert fetch.daily_file_name(date(2024, 1, 3)) == "apc240103.zip"
    assert fetch.daily_file_name(date(2009, 12, 31)) == "apc091231.zip"
    assert fetch.daily_file_name(datetime(2024, 1, 3, 23, 59)) == "apc240103.zip"
    assert fetch.daily_url(date(2024, 1, 3)) == f"{fetch.DEFAULT_BASE}/apc240103.zip"
    assert fetch.daily_url(date(2024, 1, 3), "https://mirror.example/tm/") == "https://mirror.example/tm/apc240103.zip"
    monkeypatch.setenv("FENGHUO_USPTO_DAILY_URL", "https://env.example/daily/")
    assert fetch.daily_url(date(2024, 1, 3)) == "https://env.example/daily/apc240103.zip"
    # An explicit base wins over the environment.
    assert fetch.daily_url(date(2024, 1, 3), "https://arg.example") == "https://arg.example/apc240103.zip"


class _Recorder:
    def __init__(self, respond: object) -> None:
        self.requests: list[httpx.Request] = []
        self.respond = respond

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.respond(request)  # type: ignore[operator]


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.write(FIXTURE, "apc240103.xml")
    return buf.getvalue()


def test_fetch_daily_downloads_to_the_target(tmp_path: Path) -> None:
    payload = _zip_bytes()
    recorder = _Recorder(lambda request: httpx.Response(200, content=payload))
    with httpx.Client(transport=httpx.MockTransport(recorder)) as client:
        path = fetch.fetch_daily(date(2024, 1, 3), tmp_path / "dl", client, base="https://mock.example/files")
    assert [str(r.url) for r in recorder.requests] == ["https://mock.example/files/apc240103.zip"]
    assert path == tmp_path / "dl" / "apc240103.zip" and path.read_bytes() == payload
    assert sorted(p.name for p in (tmp_path / "dl").iterdir()) == ["apc240103.zip"]  # no .part left
    assert sum(isinstance(i, RegisterRecord) for i in iter_source(path)) == 4


def test_fetch_daily_builds_its_own_client_when_none_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = _Recorder(lambda request: httpx.Response(200, content=b"PK"))
    real_client = httpx.Client
    made: list[httpx.Client] = []

    def factory(**kwargs: object) -> httpx.Client:
        client = real_client(transport=httpx.MockTransport(recorder))
        made.append(client)
        return client

    monkeypatch.setattr(fetch.httpx, "Client", factory)
    monkeypatch.setenv("FENGHUO_USPTO_DAILY_URL", "https://env.example/d")
    fetch.fetch_daily(date(2024, 2, 29), tmp_path)
    assert [str(r.url) for r in recorder.requests] == ["https://env.example/d/apc240229.zip"]
    assert made and made[0].is_closed  # its own client is closed after use


def test_missing_day_is_a_fetch_error_naming_the_date(tmp_path: Path) -> None:
    with (
        httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(404))) as client,
        pytest.raises(fetch.FetchError, match=r"2024-01-06.*apc240106\.zip"),
    ):
        fetch.fetch_daily(date(2024, 1, 6), tmp_path, client)
    assert not (tmp_path / "apc240106.zip").exists()


def test_server_error_is_a_fetch_error(tmp_path: Path) -> None:
    with (
        httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(503))) as client,
        pytest.raises(fetch.FetchError, match="apc240105.zip"),
    ):
        fetch.fetch_daily(date(2024, 1, 5), tmp_path, client)
    assert not (tmp_path / "apc240105.zip").exists()


def test_a_date_string_is_refused_before_any_request(tmp_path: Path) -> None:
    recorder = _Recorder(lambda request: httpx.Response(200, content=b""))
    with httpx.Client(transport=httpx.MockTransport(recorder)) as client, pytest.raises((TypeError, ValueError)):
        fetch.fetch_daily("2024-01-03", tmp_path, client)  # type: ignore[arg-type]
    assert recorder.requests == []


class _BrokenStream(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        yield b"PK\x03\x04 first part of the zip"
        raise httpx.ReadError("connection reset")


def _interrupted(tmp_path: Path) -> Path:
    dest = tmp_path / "dl"
    transport = httpx.MockTransport(lambda r: httpx.Response(200, stream=_BrokenStream()))
    with httpx.Client(transport=transport) as client, pytest.raises(fetch.FetchError, match="connection reset"):
        fetch.fetch_daily(date(2024, 1, 4), dest, client)
    return dest


def test_interrupted_download_never_leaves_the_target_file(tmp_path: Path) -> None:
    dest = _interrupted(tmp_path)
    assert not (dest / "apc240104.zip").exists()


def test_interrupted_download_leaves_nothing_ingest_reads(tmp_path: Path) -> None:
    dest = _interrupted(tmp_path)
    assert list(iter_source(dest)) == []


def test_fetch_daily_refuses_an_inside_address_before_connecting(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The download URL comes from the environment: it must not reach loopback or metadata hosts."""
    monkeypatch.delenv("FENGHUO_OUTBOUND_ALLOW", raising=False)
    for base in ("http://127.0.0.1:8799/internal-admin", "https://169.254.169.254/latest", "https://[::1]/x"):
        monkeypatch.setenv("FENGHUO_USPTO_DAILY_URL", base)
        with pytest.raises(fetch.FetchError, match="refused"):
            fetch.fetch_daily(date(2024, 1, 3), tmp_path)
    assert not list(tmp_path.glob("*.zip*"))  # nothing written


def test_fetch_daily_checks_every_redirect_hop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A public portal redirecting to an inside address is refused at the hop, not followed."""
    from fenghuo.core import outbound

    def resolver(host: str, port: int) -> list[str]:
        return {"portal.example": ["93.184.216.34"], "inside.example": ["10.0.0.5"]}[host]

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "https://inside.example/secret.zip"})

    transport = outbound.GuardedTransport(resolver=resolver, inner=httpx.MockTransport(answer))
    with httpx.Client(transport=transport) as client, pytest.raises(fetch.FetchError):
        fetch.fetch_daily(date(2024, 1, 3), tmp_path, client, base="https://portal.example/files")
    assert not list(tmp_path.glob("*.zip*"))
