// Parser for `tasklist /FO CSV [/NH]` (docs/windows-commands.md §7), with a real CSV reader: image names can hold
// commas and quotes, and Mem Usage holds the locale's thousands separator ("1,671,960 K", "14.348 K").
// "No tasks" is simply no row whose PID column is a number; the message and the exit code are not read.

export interface ProcessRow {
  imageName: string;
  pid: number;
  sessionName: string | null;
  sessionNumber: number | null;
  memoryKb: number | null;
  /** False for a row cut short (an unterminated last line). */
  complete: boolean;
}

/** RFC 4180 records: quoted fields, doubled quotes, CRLF or LF; an unterminated last record is marked. */
export function parseCsv(text: string): { fields: string[]; complete: boolean }[] {
  const records: { fields: string[]; complete: boolean }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += char;
      }
      continue;
    }
    if (char === '"') {
      quoted = true;
      started = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
      started = true;
    } else if (char === '\n' || char === '\r') {
      if (started || field !== '') records.push({ fields: [...fields, field], complete: true });
      fields = [];
      field = '';
      started = false;
      if (char === '\r' && text[i + 1] === '\n') i++;
    } else {
      field += char;
      started = true;
    }
  }
  if (started || field !== '') records.push({ fields: [...fields, field], complete: !quoted });
  return records;
}

const digitsOf = (text: string): number | null => {
  const digits = text.replace(/[^\d]/g, '');
  return digits === '' ? null : Number(digits);
};

export function parseTasklistCsv(text: string): ProcessRow[] {
  const rows: ProcessRow[] = [];
  try {
    for (const record of parseCsv(text)) {
      const [imageName, pidText, sessionName, sessionNumber, memory] = record.fields;
      if (!imageName || !pidText || !/^\d+$/.test(pidText)) continue;
      const complete = record.complete && record.fields.length >= 5;
      rows.push({
        imageName,
        pid: Number(pidText),
        sessionName: sessionName === undefined ? null : sessionName.trim(),
        sessionNumber:
          sessionNumber !== undefined && /^\d+$/.test(sessionNumber) ? Number(sessionNumber) : null,
        memoryKb: complete && memory !== undefined ? digitsOf(memory) : null,
        complete,
      });
    }
  } catch {
    // Never throw on input.
  }
  return rows;
}
