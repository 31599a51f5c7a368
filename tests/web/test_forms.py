"""Forms keep the user's work: a rejected post re-renders its page (422) with the values kept and
the message beside the field; success shows a one-time confirmation; pages fill forms by position."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from fenghuo.web.forms import fill_form
from tests.web.test_tm_pages import watched  # noqa: F401 - fixture
from tests.webkit import World, csrf_of, login

PAGE = """<html><body><main><h1>T</h1>
<form method="post" action="/x/1/state" id="f">
  <input type="hidden" name="csrf_token" value="tok">
  <select name="state"><option value="new" selected>New</option><option value="dismissed">Dismissed</option></select>
  <input name="reason" value="">
  <textarea name="note">old</textarea>
  <input type="checkbox" name="urgent" value="1" checked>
  <button>Save</button>
</form>
<form method="post" action="/elsewhere"><input name="reason"></form>
</main></body></html>"""


def test_fill_form_keeps_values_and_marks_the_field() -> None:
    values = {"state": ["dismissed"], "reason": ["a <b> & c"], "note": ["kept\ntext"], "csrf_token": ["x"]}
    out, fragment = fill_form(PAGE, "/x/1/state", values, [{"field": "reason", "message": "give a reason"}])
    form = out.split('id="f"')[1].split("</form>")[0]
    assert '<option value="dismissed" selected>' in form and '<option value="new">' in form
    reason = re.search(r'<input name="reason"[^>]*>', form).group(0)  # type: ignore[union-attr]
    assert 'value="a &lt;b&gt; &amp; c"' in reason and "is-invalid" in reason and 'aria-invalid="true"' in reason
    assert re.search(r'name="reason"[^>]*>\s*<div class="invalid-feedback d-block" data-field="reason">give a reason',
                     form)
    assert "<textarea name=\"note\">kept\ntext</textarea>" in form
    assert 'name="urgent" value="1">' in form  # unticked: absent from the post
    assert 'value="x"' in form  # the CSRF token sent is kept (a page may rotate its token per render)
    other = out.split('action="/elsewhere"')[1]
    assert "is-invalid" not in other and 'value="a' not in other
    assert fragment is not None and fragment.startswith("<form") and "give a reason" in fragment


def test_fill_form_puts_unnamed_errors_on_top_and_page_without_form_in_main() -> None:
    out, _frag = fill_form(PAGE, "/x/1/state", {}, [{"field": None, "message": "state change not allowed"}])
    assert re.search(r'id="f">\s*<div class="alert alert-danger"[^>]*>.*state change not allowed', out, re.S)
    out, frag = fill_form(PAGE, "/nowhere", {}, [{"field": "x", "message": "broken"}])
    assert frag is None and re.search(r"<main><div class=\"alert alert-danger\".*broken", out, re.S)


def test_dismiss_without_reason_rerenders_the_alert_page(client: TestClient, watched: str) -> None:  # noqa: F811
    inbox = client.get("/tm/alerts").text
    alert_id = re.search(r'href="/tm/alerts/(\d+)">YILI<', inbox).group(1)  # type: ignore[union-attr]
    r = client.post(f"/tm/alerts/{alert_id}/state", data={"state": "dismissed", "reason": "", "csrf_token": watched},
                    headers={"referer": f"http://testserver/tm/alerts/{alert_id}"})
    assert r.status_code == 422
    assert 'id="side-by-side"' in r.text and "YILI" in r.text  # the alert page, not an error page
    form = r.text.split('id="state-form"')[1].split("</form>")[0]
    assert '<option value="dismissed" selected>' in form and "is-invalid" in form and "invalid-feedback" in form
    # No Referer: the nearest page above the post's path is used.
    r = client.post(f"/tm/alerts/{alert_id}/state", data={"state": "dismissed", "csrf_token": watched})
    assert r.status_code == 422 and 'id="side-by-side"' in r.text


def test_missing_required_field_keeps_the_other_values(client: TestClient, watched: str) -> None:  # noqa: F811
    r = client.post("/tm/portfolio", data={"csrf_token": watched, "mark_id": "M-77", "classes": "9"},
                    headers={"referer": "http://testserver/tm/portfolio"})
    assert r.status_code == 422
    assert 'value="M-77"' in r.text and 'data-field="mark"' in r.text


def test_htmx_post_gets_the_form_back(client: TestClient, watched: str) -> None:  # noqa: F811
    inbox = client.get("/tm/alerts").text
    alert_id = re.search(r'href="/tm/alerts/(\d+)">YILI<', inbox).group(1)  # type: ignore[union-attr]
    r = client.post(f"/tm/alerts/{alert_id}/state", data={"state": "dismissed", "csrf_token": watched},
                    headers={"HX-Request": "true"})
    assert r.status_code == 422 and r.text.startswith("<form") and r.text.endswith("</form>")
    assert r.headers["HX-Retarget"] == f'form[action="/tm/alerts/{alert_id}/state"]'


def test_flash_after_success_shown_once(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    csrf = csrf_of(client.get("/tm/portfolio").text)
    r = client.post("/tm/portfolio/import", data={"csrf_token": csrf},
                    files={"file": ("p.csv", b"mark_id,mark,classes\nX1,XENO,9\nX2,XENA,9\n", "text/csv")})
    messages = r.text.split('id="messages"')[1].split("</div>\n  </div>")[0]
    assert r.status_code == 200 and "alert-success" in messages and messages.count("2 marks imported") == 1
    again = client.get("/tm/portfolio")
    assert "marks imported" not in again.text


def test_forged_flash_cookie_is_ignored(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    client.cookies.set("fenghuo_flash", "WyJzdWNjZXNzIiwiaGFja2VkIl0=.0000")
    assert "hacked" not in client.get("/tm/portfolio").text


def test_collection_paths_answer_a_list(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    plans = client.get("/filing/plans")
    assert plans.status_code == 200 and 'id="saved-plans"' in plans.text and 'href="/filing"' in plans.text
    assert "fh-empty" in plans.text  # the empty state says what to do next
    for path, lands in (("/disputes/events", "/disputes"), ("/disputes/insurance/claims", "/disputes/insurance"),
                        ("/tm/settings/channels", "/tm/settings")):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == lands, path
        assert client.get(path).status_code == 200


def test_filing_form_error_keeps_the_planner_input(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    csrf = csrf_of(client.get("/filing").text)
    data = {"csrf_token": csrf, "type": "invention", "filed": "2026-03-02", "targets": "US,ZZ9", "title": "Pump"}
    r = client.post("/filing/plans", data=data, headers={"referer": "http://testserver/filing"})
    assert r.status_code == 422 and 'id="plan-form"' in r.text
    form = r.text.split('id="plan-form"')[1].split("</form>")[0]
    assert 'value="Pump"' in form and 'value="US,ZZ9"' in form and "invalid-feedback" in form
    ok = client.post("/filing/plans", data={**data, "targets": "US"})
    assert ok.status_code == 200 and "Plan saved to the docket" in ok.text.split('id="messages"')[1]
    assert "Pump" in client.get("/filing/plans").text


def test_empty_lists_say_what_to_do_next(client: TestClient, world: World) -> None:
    login(client, world.a.admin_email)
    for path, action in (("/tm/portfolio", 'href="#add-mark"'), ("/tm/alerts?level=high", 'href="/tm/alerts"'),
                         ("/tm/runs", None), ("/disputes", None), ("/disputes/notifications", None),
                         ("/filing", None)):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "fh-empty" in page.text, path
        if action:
            assert action in page.text, path
