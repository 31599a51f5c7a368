"""iCalendar export of the docket (RFC 5545) for Outlook, Google Calendar, Thunderbird.

Why UID and SEQUENCE come from the database: a client replaces an event only when it sees the same
UID with a higher SEQUENCE; UIDs derived from the due date would duplicate events after every
recomputation. Cancelled deadlines are exported with STATUS:CANCELLED so clients remove them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from fenghuo.core.i18n import _
from fenghuo.filing.models import DocketEntry

PRODID = "-//Fenghuo//Overseas filing docket//EN"


def to_ics(entries: Sequence[DocketEntry], *, name: str = "Fenghuo docket", alarm_days: int = 30) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for row in entries:
        event = Event()
        event.add("uid", row.uid)
        event.add("sequence", row.sequence)
        stamp = row.updated_at if row.updated_at.tzinfo else row.updated_at.replace(tzinfo=UTC)
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("last-modified", stamp.astimezone(UTC))
        event.add("dtstart", row.due)
        event.add("dtend", row.due + timedelta(days=1))
        event.add("summary", (_("[provisional] ") if row.provisional else "") + row.label)
        description = [_("Rule: %(rule)s (fenghuo deadline %(rule)s --office %(office)s --from %(trigger)s)",
                         rule=row.rule_id, office=row.office or "-", trigger=row.trigger.isoformat())]
        if row.provisional:
            description.append(_("Provisional: the office calendar is not known that far ahead."))
        if row.note:
            description.append(row.note)
        event.add("description", "\n".join(description))
        event.add("categories", [row.target, row.route])
        event.add("transp", "TRANSPARENT")
        event.add("status", "CANCELLED" if row.status == "cancelled" else "CONFIRMED")
        if row.status != "cancelled" and not row.done and alarm_days > 0:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", row.label)
            alarm.add("trigger", timedelta(days=-alarm_days))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


def generated_at() -> datetime:
    return datetime.now(UTC)
