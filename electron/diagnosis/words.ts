// Small helpers every sentence of the diagnosis goes through, so the words come out well formed: a capital at
// the start, a full stop at the end, no doubled spaces, lists with "and", singular and plural that agree, and
// text a server sent kept as inert data.

/** Control characters, and the invisible ones that reorder or hide text (bidi overrides, zero-width). */
const UNSAFE_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Text that came from a server, a file or the network, made safe to put in a sentence: one line, bounded. */
export function serverText(value: string, max = 200): string {
  const clean = value.replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** One sentence: trimmed, single spaces, a capital first letter, and a closing full stop. */
export function sentence(text: string): string {
  let result = text.replace(/\s+/g, ' ').trim();
  if (result === '') return '';
  // Capitalise a plain first word ("port 554…"), never a host, an address or a path ("media.example.org…").
  if (/^[a-z][a-z’'-]*(?=[\s,;!?]|$)/.test(result)) result = result.charAt(0).toUpperCase() + result.slice(1);
  result = result.replace(/[\s:;,]+$/, '');
  return /[.!?…]$/.test(result) ? result : `${result}.`;
}

/** Sentences joined with one space; empty ones dropped. */
export function sentences(...parts: Array<string | null | undefined | false>): string {
  return parts
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .map(sentence)
    .join(' ');
}

/** "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "port 80", "ports 1755 and 554", "ports 1755, 554 and 80". */
export function portsPhrase(ports: readonly number[]): string {
  const unique = [...new Set(ports)];
  return `${unique.length === 1 ? 'port' : 'ports'} ${listWords(unique.map(String))}`;
}

/** "1 link", "2 links". */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
