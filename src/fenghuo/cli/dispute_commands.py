"""``fenghuo disputes import | fetch | queue | review | alerts | cases | stations | insurance | quarantine | notify``.

Events are taken in for ``--org`` (usually the guidance centre doing the monitoring); matching
and alerts run right after intake — the command line is the platform operator's, so its imports
and feeds count as platform feeds. Events that enterprises and other organisations submit through
the web or the API wait in the guidance centre's review queue (``intake``, ``intake-review``).
Feed fetches keep their ``--since`` cursor in FENGHUO_HOME.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

from fenghuo.cli.common import err_console, handle_errors, print_json, usage_error
from fenghuo.core.db import init_db, session_scope
from fenghuo.core.i18n import N_, _
from fenghuo.core.orgs import get_organisation_by_ref

disputes_app = typer.Typer(
    help=N_("Dispute early warning: event intake, feeds, review queue, alerts, cases, stations."),
    no_args_is_help=True)
cases_app = typer.Typer(help=N_("Dispute cases of an enterprise."), no_args_is_help=True)
stations_app = typer.Typer(help=N_("Exhibition IP service stations."), no_args_is_help=True)
insurance_app = typer.Typer(help=N_("Overseas infringement insurance: policies (insurers) and claims (enterprises)."),
                            no_args_is_help=True)

ORG = typer.Option(..., "--org", help=N_("Organisation id or name acting."))


def _org_id(ref: str) -> int:
    with session_scope(org_id=None, platform_admin=True) as session:
        return get_organisation_by_ref(session, ref).id


def _report(summary: dict[str, object]) -> None:
    typer.echo(_("%(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(errors)s rejected; "
                 "%(alerts)s alert(s), %(queued)s match(es) to review", created=summary["created"],
                 updated=summary["updated"], unchanged=summary["unchanged"],
                 errors=len(summary["errors"]) if isinstance(summary["errors"], list) else 0,
                 alerts=summary.get("alerts", 0), queued=summary.get("queued", 0)))
    for err in summary["errors"] if isinstance(summary["errors"], list) else []:
        err_console.print(_("record %(record)s: field %(field)s: %(message)s", record=err["record"],
                            field=err["field"], message=err["message"]))
    if summary.get("quarantined") or summary.get("resolved"):
        typer.echo(_("quarantine: %(kept)s kept, %(resolved)s resolved (fenghuo disputes quarantine)",
                     kept=summary.get("quarantined", 0), resolved=summary.get("resolved", 0)))


def _intake(org_id: int, records: list[Any], errors: list[Any], source: str | None = None) -> dict[str, object]:
    from fenghuo.disputes import events, routing

    with session_scope(org_id=org_id, actor_label="cli") as s:
        summary = events.store_records(s, records, errors, source=source, trusted=True)
    routed = [routing.route_event(i) for i in summary.routable_ids]
    return {**summary.as_dict(), "alerts": sum(r.alerts for r in routed), "queued": sum(r.queued for r in routed)}


@disputes_app.command("import", help=N_(
    "Import events; bad records are reported with record and field, the rest imported (idempotent)."))
@handle_errors
def import_cmd(file: Path = typer.Argument(..., help=N_("CSV (kind, number, …) or JSON list of events.")),
               org: str = ORG) -> None:
    from fenghuo.disputes import events

    if not file.exists():
        usage_error(_("no such path: %(path)s", path=str(file)))
    init_db()
    records, errors = events.read_file(file)
    summary = _intake(_org_id(org), records, errors, source=file.name)
    _report(summary)
    if errors and not records:
        raise typer.Exit(2)


@disputes_app.command("fetch", help=N_(
    "Fetch a public feed newer than --since (or the stored cursor) and advance the cursor."))
@handle_errors
def fetch_cmd(feed: str = typer.Argument(..., help=N_("usitc or courtlistener")), org: str = ORG,
              since: str | None = typer.Option(None, "--since", help=N_("YYYY-MM-DD; default: the stored cursor.")),
              token: str | None = typer.Option(None, "--token", envvar="COURTLISTENER_TOKEN",
                                               help=N_("CourtListener API token."))) -> None:
    from fenghuo.disputes import feeds

    if feed not in feeds.FEEDS:
        usage_error(_("FEED must be one of %(values)s", values=", ".join(feeds.FEEDS)))
    start: date | None = None
    if since:
        try:
            start = date.fromisoformat(since)
        except ValueError:
            usage_error(_("--since: %(value)s is not a date (YYYY-MM-DD)", value=since))
    init_db()
    org_id = _org_id(org)
    result = feeds.fetch(feed, since=start, token=token)
    summary = _intake(org_id, result.records, result.errors, source=feed)
    if result.newest:
        feeds.write_cursor(feed, result.newest)
    _report(summary)
    typer.echo(_("cursor: %(cursor)s", cursor=feeds.read_cursor(feed) or "-"))


@disputes_app.command("queue", help=N_("Borderline matches waiting for a human decision (JSON)."))
@handle_errors
def queue_cmd(org: str = ORG) -> None:
    from fenghuo.disputes import routing

    init_db()
    with session_scope(org_id=_org_id(org)) as s:
        print_json([routing.match_dict(m) for m in routing.review_queue(s)])


@disputes_app.command("review", help=N_("Confirm (alerting now) or reject a queued match."))
@handle_errors
def review_cmd(match_id: int = typer.Argument(..., help=N_("The queued match id.")),
               decision: str = typer.Argument(..., help=N_("confirm or reject")),
               org: str = ORG) -> None:
    from fenghuo.disputes import routing

    if decision not in ("confirm", "reject"):
        usage_error(_("DECISION must be confirm or reject"))
    init_db()
    result, alerts = routing.review_match(_org_id(org), None, match_id, decision)
    print_json({**result, "alerts_raised": alerts})


@disputes_app.command("intake", help=N_(
    "Submitted events waiting for the guidance centre's review (guidance centres only; JSON)."))
@handle_errors
def intake_cmd(org: str = ORG, status: str = typer.Option("pending", "--status",
                                                          help=N_("pending, accepted or rejected"))) -> None:
    from fenghuo.disputes import routing

    if status not in ("pending", "accepted", "rejected"):
        usage_error(_("--status must be pending, accepted or rejected"))
    init_db()
    with session_scope(org_id=_org_id(org), actor_label="cli") as s:
        print_json(routing.intake_queue(s, status=status))


@disputes_app.command("intake-review", help=N_(
    "Accept (matching and alerting now) or reject a submitted event, as a guidance centre."))
@handle_errors
def intake_review_cmd(event_id: int = typer.Argument(..., help=N_("The submitted event id.")),
                      decision: str = typer.Argument(..., help=N_("accept or reject")),
                      reason: str = typer.Option("", "--reason", help=N_("Why (required to reject).")),
                      org: str = ORG) -> None:
    from fenghuo.disputes import routing

    if decision not in routing.REVIEW_DECISIONS:
        usage_error(_("DECISION must be accept or reject"))
    if decision == "reject" and not reason.strip():
        usage_error(_("--reason is required to reject"))
    init_db()
    print_json(routing.review_event(_org_id(org), None, event_id, decision, reason))


@disputes_app.command("alerts", help=N_("Dispute alerts of an organisation with their first legal clock (JSON)."))
@handle_errors
def alerts_cmd(org: str = ORG) -> None:
    from fenghuo.disputes import routing

    init_db()
    with session_scope(org_id=_org_id(org)) as s:
        print_json([routing.alert_dict(a) for a in routing.list_alerts(s)])


@cases_app.command("list", help=N_("Cases of (or shared with) an organisation (JSON)."))
@handle_errors
def cases_list(org: str = ORG) -> None:
    from fenghuo.disputes import cases

    init_db()
    with session_scope(org_id=_org_id(org)) as s:
        print_json([cases.case_dict(s, c) for c in cases.list_cases(s)])


@cases_app.command("open", help=N_("Open the case for an alert: parties, clocks and playbook tasks."))
@handle_errors
def cases_open(alert_id: int = typer.Argument(..., help=N_("The dispute alert id.")), org: str = ORG) -> None:
    from fenghuo.disputes import cases

    init_db()
    with session_scope(org_id=_org_id(org), actor_label="cli") as s:
        print_json(cases.case_dict(s, cases.open_from_alert(s, alert_id), detail=True))


@cases_app.command("show", help=N_("One case with clocks, tasks, documents and timeline (JSON)."))
@handle_errors
def cases_show(case_id: int = typer.Argument(..., help=N_("The case id.")), org: str = ORG) -> None:
    from fenghuo.disputes import cases

    init_db()
    with session_scope(org_id=_org_id(org)) as s:
        print_json(cases.case_dict(s, cases.get_case(s, case_id), detail=True))


@cases_app.command("share", help=N_("Share a case read-only with a centre, station or expert (audited)."))
@handle_errors
def cases_share(case_id: int = typer.Argument(..., help=N_("The case id.")),
                grantee: str = typer.Argument(..., help=N_("Organisation id/name.")),
                org: str = ORG) -> None:
    from fenghuo.disputes import cases

    init_db()
    grantee_id = _org_id(grantee)
    with session_scope(org_id=_org_id(org), actor_label="cli") as s:
        row = cases.share_case(s, case_id, grantee_id)
        typer.echo(_("shared: grant %(id)s", id=row.id))


@stations_app.command("list", help=N_("Stations of a station organisation with per-fair statistics (JSON)."))
@handle_errors
def stations_list(org: str = ORG) -> None:
    from fenghuo.disputes import stations

    init_db()
    with session_scope(org_id=_org_id(org)) as s:
        print_json([{**stations.station_dict(st), "stats": stations.station_stats(s, st.id)}
                    for st in stations.list_stations(s)])


@stations_app.command("add", help=N_("Register a station at a fair (exhibition-station organisations only)."))
@handle_errors
def stations_add(fair: str = typer.Argument(..., help=N_("The trade fair, e.g. Canton Fair.")),
                 starts: str = typer.Option(..., "--from", help=N_("First day of the fair (YYYY-MM-DD).")),
                 ends: str = typer.Option(..., "--to", help=N_("Last day of the fair (YYYY-MM-DD).")),
                 venue: str = typer.Option("", "--venue", help=N_("Hall or booth of the station.")),
                 org: str = ORG) -> None:
    from fenghuo.disputes import stations

    try:
        start, end = date.fromisoformat(starts), date.fromisoformat(ends)
    except ValueError:
        usage_error(_("--from/--to must be dates (YYYY-MM-DD)"))
    init_db()
    with session_scope(org_id=_org_id(org), actor_label="cli") as s:
        print_json(stations.station_dict(stations.create_station(s, fair=fair, starts_on=start, ends_on=end,
                                                                 venue=venue)))


@disputes_app.command("notify", help=N_(
    "Send pending dispute notifications by e-mail and webhook per user preferences."))
@handle_errors
def notify_cmd(org: str = ORG,
               digest: bool = typer.Option(False, "--digest", help=N_("Send the daily digest."))) -> None:
    from fenghuo.disputes import notify

    init_db()
    typer.echo(_("%(n)s message(s) sent", n=notify.deliver(_org_id(org), digest=digest)))


@disputes_app.command("stats", help=N_("Case statistics (JSON), or the statistics report as a PDF with --pdf."))
@handle_errors
def stats_cmd(org: str = ORG, pdf: Path | None = typer.Option(None, "--pdf", help=N_("Write the report PDF here.")),
              lang: str = typer.Option("en", "--lang", help=N_("zh_CN or en (the PDF's language).")),
              year: int | None = typer.Option(None, "--year", help=N_("Only cases opened in this year."))) -> None:
    from fenghuo.disputes import report, stats

    init_db()
    with session_scope(org_id=_org_id(org), actor_label="cli") as s:
        if pdf is None:
            print_json(stats.summary(s, year))
            return
        data = report.render_pdf(s, lang, year)
    pdf.write_bytes(data)
    typer.echo(_("Report written to %(path)s (%(size)s bytes)", path=str(pdf), size=len(data)))


@disputes_app.command("quarantine", help=N_(
    "Bad records of imports and feeds, kept until a later import of the same source fixes them (JSON)."))
@handle_errors
def quarantine_cmd(org: str = ORG,
                   include_resolved: bool = typer.Option(False, "--all",
                                                         help=N_("Also list resolved records."))) -> None:
    from fenghuo.disputes import events

    init_db()
    with session_scope(org_id=_org_id(org)) as s:
        print_json([events.quarantine_dict(q) for q in events.list_quarantine(s, include_resolved=include_resolved)])


@insurance_app.command("policies", help=N_("Policies the organisation issued (insurer) or holds (enterprise) (JSON)."))
@handle_errors
def insurance_policies(org: str = ORG) -> None:
    from fenghuo.disputes import insurance

    init_db()
    with session_scope(org_id=_org_id(org)) as s:
        print_json([insurance.policy_dict(p) for p in insurance.list_policies(s)])


@insurance_app.command("issue", help=N_(
    "Issue a policy to an enterprise (insurer organisations only); the enterprise is granted read access."))
@handle_errors
def insurance_issue(number: str = typer.Argument(..., help=N_("The policy number.")),
                    insured: str = typer.Option(..., "--insured", help=N_("The insured enterprise (id or name).")),
                    limit: str = typer.Option(..., "--limit", help=N_("Limit of indemnity, e.g. 500000.")),
                    starts: str = typer.Option(..., "--from", help=N_("YYYY-MM-DD")),
                    ends: str = typer.Option(..., "--to", help=N_("YYYY-MM-DD")),
                    currency: str = typer.Option("CNY", "--currency", help=N_("ISO 4217 currency code.")),
                    product: list[str] = typer.Option([], "--product", help=N_("A covered product (repeatable).")),
                    country: list[str] = typer.Option([], "--country", help=N_("A covered country (repeatable).")),
                    org: str = ORG) -> None:
    from fenghuo.disputes import insurance

    try:
        start, end = date.fromisoformat(starts), date.fromisoformat(ends)
    except ValueError:
        usage_error(_("--from/--to must be dates (YYYY-MM-DD)"))
    init_db()
    insured_id = _org_id(insured)
    with session_scope(org_id=_org_id(org), actor_label="cli") as s:
        row = insurance.issue_policy(s, insurance.PolicyIn(number, insured_id, limit, start, end, currency,
                                                           tuple(product), tuple(country)))
        print_json(insurance.policy_dict(row))


@insurance_app.command("offers", help=N_("Policies offered to the enterprise that wait for its answer (JSON)."))
@handle_errors
def insurance_offers(org: str = ORG) -> None:
    from fenghuo.disputes import insurance

    init_db()
    with session_scope(org_id=_org_id(org)) as s:
        print_json([insurance.policy_dict(p) for p in insurance.list_offers(s)])


@insurance_app.command("answer", help=N_(
    "Accept or decline a policy offered to the enterprise (only accepted policies are in its list)."))
@handle_errors
def insurance_answer(policy_id: int = typer.Argument(..., help=N_("The policy id.")),
                     decision: str = typer.Argument(..., help=N_("accept or decline")), org: str = ORG) -> None:
    from fenghuo.disputes import insurance

    if decision not in insurance.POLICY_DECISIONS:
        usage_error(_("DECISION must be accept or decline"))
    init_db()
    with session_scope(org_id=_org_id(org), actor_label="cli") as s:
        print_json(insurance.policy_dict(insurance.respond_to_policy(s, policy_id, decision)))


@insurance_app.command("claims", help=N_(
    "Claims the organisation filed (enterprise) or received on its policies (insurer) (JSON)."))
@handle_errors
def insurance_claims(org: str = ORG) -> None:
    from fenghuo.disputes import insurance

    init_db()
    with session_scope(org_id=_org_id(org)) as s:
        print_json([insurance.claim_dict(c) for c in insurance.list_claims(s)])


@insurance_app.command("claim", help=N_(
    "File a claim under a policy you hold (the insured enterprise); the insurer is granted the claim."))
@handle_errors
def insurance_claim(policy_id: int = typer.Argument(..., help=N_("The policy id.")),
                    costs: str = typer.Option(..., "--costs", help=N_("Costs incurred, e.g. 120000.50.")),
                    currency: str = typer.Option("CNY", "--currency", help=N_("ISO 4217 currency code.")),
                    case_id: int | None = typer.Option(None, "--case", help=N_("Your case the costs belong to.")),
                    note: str = typer.Option("", "--note", help=N_("A note for the insurer.")),
                    org: str = ORG) -> None:
    from fenghuo.disputes import insurance

    init_db()
    with session_scope(org_id=_org_id(org), actor_label="cli") as s:
        print_json(insurance.claim_dict(insurance.file_claim(s, policy_id, costs_incurred=costs, currency=currency,
                                                             case_id=case_id, note=note)))


def register(app: typer.Typer) -> None:
    disputes_app.add_typer(cases_app, name="cases")
    disputes_app.add_typer(stations_app, name="stations")
    disputes_app.add_typer(insurance_app, name="insurance")
    app.add_typer(disputes_app, name="disputes")
