// Parser for `reg query <key> [/v name] [/s]`: key lines start with HKEY_, value lines are
// `    <name>    <REG_TYPE>    <data>` with four-blank separators (a name may itself contain blanks; the
// type keyword is the anchor). Value names and types are not localized; "(Default)" is, and is kept as printed.
// A missing key is exit code 1 with "ERROR: …" on stderr — no values, not an exception.

export interface RegistryValue {
  /** The key as printed (HKEY_LOCAL_MACHINE\…). */
  key: string;
  name: string;
  type: string;
  /** The data as printed: REG_DWORD as 0x…, REG_MULTI_SZ with \0 separators. */
  data: string;
}

const KEY_LINE = /^(HKEY_[A-Z_]+(?:\\.*)?)$/;
const VALUE_LINE = /^ {2,}(.*?) {4}(REG_[A-Z_]+)(?: {4}(.*?))?\s*$/;

export function parseRegQuery(text: string): RegistryValue[] {
  const values: RegistryValue[] = [];
  let key = '';
  try {
    for (const line of text.split(/\r\n|\r|\n/)) {
      const keyMatch = KEY_LINE.exec(line.trim());
      if (keyMatch && !line.startsWith(' ')) {
        key = keyMatch[1] ?? '';
        continue;
      }
      const value = VALUE_LINE.exec(line);
      if (value) {
        values.push({ key, name: value[1] ?? '', type: value[2] ?? '', data: (value[3] ?? '').trim() });
      }
    }
  } catch {
    // Never throw on input.
  }
  return values;
}

/** The data of a named value (case-insensitive), optionally under a key ending with `keySuffix`. */
export function registryValue(
  values: readonly RegistryValue[],
  name: string,
  keySuffix?: string,
): string | null {
  const wanted = name.toLowerCase();
  const suffix = keySuffix?.toLowerCase();
  const found = values.find(
    (value) => value.name.toLowerCase() === wanted && (!suffix || value.key.toLowerCase().endsWith(suffix)),
  );
  return found ? found.data : null;
}

/** REG_DWORD data ("0x1") as a number, null when not a DWORD-shaped value. */
export function dwordValue(data: string | null): number | null {
  if (data === null) return null;
  const match = /^0x([0-9a-f]{1,8})$/i.exec(data.trim());
  return match ? parseInt(match[1] ?? '', 16) : /^\d+$/.test(data.trim()) ? Number(data.trim()) : null;
}
