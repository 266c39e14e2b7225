// Parser for `wevtutil qe <log> … /f:text`: events start at `Event[n]:`, fields are `  Label: value`
// (two-blank indent), and the Description's text follows on unindented lines up to the next event. Only
// the English labels are known; in another display language the fields stay in `fields` and the event ID
// is still found by its shape.

export interface WindowsEvent {
  source: string | null;
  date: string | null;
  eventId: number | null;
  level: string | null;
  description: string;
  fields: { label: string; value: string }[];
}

const EVENT_START = /^Event\[\d+\]:\s*$/;
const FIELD = /^ {2}([^:]{1,40}):\s?(.*)$/;

export function parseWevtutilText(text: string): WindowsEvent[] {
  const events: WindowsEvent[] = [];
  let current: WindowsEvent | null = null;
  let inDescription = false;
  try {
    for (const line of text.split(/\r\n|\r|\n/)) {
      if (EVENT_START.test(line.trim())) {
        current = { source: null, date: null, eventId: null, level: null, description: '', fields: [] };
        events.push(current);
        inDescription = false;
        continue;
      }
      if (!current) continue;
      const field = inDescription ? null : FIELD.exec(line);
      if (field) {
        const label = (field[1] ?? '').trim();
        const value = (field[2] ?? '').trim();
        current.fields.push({ label, value });
        switch (label) {
          case 'Source':
            current.source = value;
            break;
          case 'Date':
            current.date = value;
            break;
          case 'Event ID':
            current.eventId = /^\d+$/.test(value) ? Number(value) : null;
            break;
          case 'Level':
            current.level = value;
            break;
          case 'Description':
            inDescription = true;
            current.description = value;
            break;
        }
        continue;
      }
      if (inDescription && line.trim() !== '') {
        current.description = current.description ? `${current.description}\n${line.trim()}` : line.trim();
      }
    }
  } catch {
    // Never throw on input.
  }
  for (const event of events) {
    // Another display language: the only field whose value is a bare number up to 65535 is the event ID.
    if (event.eventId === null) {
      const numeric = event.fields.find((field) => /^\d{1,5}$/.test(field.value));
      if (numeric) event.eventId = Number(numeric.value);
    }
  }
  return events;
}
