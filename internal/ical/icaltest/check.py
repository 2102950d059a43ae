# Parses an iCalendar file with Debian's python3-icalendar, reports every
# component's parse errors, expands each event over [from, to) with
# python3-recurring-ical-events, and lists each event's alarms by their
# trigger's offset from the start. Prints JSON: {"errors": [...],
# "starts": {uid: [unix seconds, ...]}, "alarms": {uid: [seconds, ...]}}.
import json
import sys
from datetime import datetime, timezone

import icalendar
import recurring_ical_events

path, start, end = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path, "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())
errors = []
for comp in cal.walk():
    for err in getattr(comp, "errors", []):
        errors.append("%s: %s" % (comp.name, err))
parse = lambda s: datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
starts = {}
for ev in recurring_ical_events.of(cal).between(parse(start), parse(end)):
    starts.setdefault(str(ev["UID"]), []).append(int(ev["DTSTART"].dt.timestamp()))
alarms = {}
for ev in cal.walk("VEVENT"):
    for alarm in ev.walk("VALARM"):
        alarms.setdefault(str(ev["UID"]), []).append(int(alarm.decoded("TRIGGER").total_seconds()))
print(json.dumps({"errors": errors, "starts": starts, "alarms": alarms}))
