// Parses an iCalendar file with ical.js (the parser Thunderbird uses) and
// expands each event over [from, to) with ICAL.Event's iterator, using the
// calendar's own VTIMEZONEs. Prints JSON: {"starts": {uid: [unix seconds]}}.
// Usage: node check.cjs DIR FILE FROM TO, where DIR holds node_modules/ical.js.
const fs = require("fs");
const [dir, file, from, to] = process.argv.slice(2);
const ICAL = require(require.resolve("ical.js", { paths: [dir] }));
const root = new ICAL.Component(ICAL.parse(fs.readFileSync(file, "utf8")));
for (const tz of root.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(tz);
}
const lo = Date.parse(from) / 1000, hi = Date.parse(to) / 1000;
const starts = {};
for (const vevent of root.getAllSubcomponents("vevent")) {
  const ev = new ICAL.Event(vevent);
  const out = (starts[ev.uid] = []);
  const it = ev.iterator();
  for (let t = it.next(); t; t = it.next()) {
    const s = t.toUnixTime();
    if (s >= hi) break;
    if (s >= lo) out.push(s);
    if (!ev.isRecurring()) break;
  }
}
console.log(JSON.stringify({ starts }));
