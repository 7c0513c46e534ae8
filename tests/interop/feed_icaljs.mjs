// Parse iCalendar files with ical.js (the parser Thunderbird uses) and
// print, per file, what the Python test checks: the VTIMEZONE TZIDs, the
// TZIDs referenced by DTSTART/DTEND, and each VEVENT's key fields.
// Usage: node feed_icaljs.mjs NODE_MODULES_DIR FILE...
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [modDir, ...files] = process.argv.slice(2);
const ICAL = (await import(pathToFileURL(
    path.join(modDir, 'ical.js', 'dist', 'ical.js')).href)).default;

const out = [];
for (const f of files) {
	const comp = new ICAL.Component(ICAL.parse(fs.readFileSync(f, 'utf8')));
	const zones = comp.getAllSubcomponents('vtimezone').map(
	    (z) => z.getFirstPropertyValue('tzid'));
	for (const z of comp.getAllSubcomponents('vtimezone'))
		ICAL.TimezoneService.register(new ICAL.Timezone(z));
	const refs = new Set();
	const events = comp.getAllSubcomponents('vevent').map((v) => {
		for (const name of ['dtstart', 'dtend']) {
			const tz = v.getFirstProperty(name).getParameter('tzid');
			if (tz) refs.add(tz);
		}
		const e = new ICAL.Event(v);
		return {
			uid: e.uid, sequence: e.sequence,
			status: v.getFirstPropertyValue('status'),
			summary: e.summary,
			start: e.startDate.toString(),
			startUTC: e.startDate.toUnixTime(),
			zone: e.startDate.zone ? e.startDate.zone.tzid : null,
		};
	});
	out.push({ file: f, name: comp.getFirstPropertyValue('name'),
	    calname: comp.getFirstPropertyValue('x-wr-calname'),
	    zones, refs: [...refs], events });
}
process.stdout.write(JSON.stringify(out));
