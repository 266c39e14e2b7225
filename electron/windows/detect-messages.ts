// The sentences netsh, sc and tasklist print instead of (or after) a listing, in the languages they were seen
// in (real samples, and the wordings published by others where no sample was found). They are recognised to be reported as
// what they are — never to decide success or failure of a command the app runs itself (that is the exit code).
import type { CheckStatus } from '../diagnosis/types';
import { normalizeWord } from './netsh-words';

export type MessageId =
  | 'netsh-no-rules'
  | 'netsh-ok'
  | 'netsh-updated'
  | 'netsh-deleted'
  | 'netsh-elevation'
  | 'netsh-service-unreachable'
  | 'netsh-bad-arguments'
  | 'sc-failed'
  | 'sc-success'
  | 'tasklist-no-tasks';

/** Which command family printed it: a message counts as evidence for that kind of output. */
export type MessageFamily = 'netsh-rules' | 'netsh' | 'sc' | 'tasklist';

interface MessageDefinition {
  family: MessageFamily;
  /** What the finding says when the message is the only thing an output holds. */
  status: CheckStatus;
  meaning: string;
  /** Matched against a whole line after normalizeWord (lower case, one space between words). */
  patterns: readonly RegExp[];
}

export const MESSAGES: Record<MessageId, MessageDefinition> = {
  'netsh-no-rules': {
    family: 'netsh-rules',
    status: 'warn',
    meaning: 'netsh found no firewall rule matching the query, so this output shows no rule at all',
    patterns: [
      /^no rules match the specified criteria\.?$/,
      /^keine regeln stimmen mit den angegebenen kriterien überein\.?$/,
      /^aucune règle ne correspond aux critères spécifiés\.?$/,
      /^指定された条件に一致する規則はありません。?$/,
      /^没有与指定标准相匹配的规则。?$/,
      /^ни одно правило не соответствует указанным критериям\.?$/,
    ],
  },
  'netsh-ok': {
    family: 'netsh',
    status: 'pass',
    meaning: 'netsh finished the command',
    patterns: [/^ok\.?$/, /^确定。$/],
  },
  'netsh-updated': {
    family: 'netsh-rules',
    status: 'pass',
    meaning: 'a `set rule` command changed rules; this is not a listing',
    patterns: [/^updated \d+ rule\(s\)\.$/],
  },
  'netsh-deleted': {
    family: 'netsh-rules',
    status: 'pass',
    meaning: 'a `delete rule` command removed rules; this is not a listing',
    patterns: [/^deleted \d+ rule\(s\)\.$/, /^已删除 \d+ 规则。$/],
  },
  'netsh-elevation': {
    family: 'netsh',
    status: 'error',
    meaning: 'the command needs an administrator (Run as administrator), so it did nothing',
    patterns: [
      /^the requested operation requires elevation \(run as administrator\)\.?$/,
      /^要求された操作には、権限の昇格が必要です。/,
      /^请求的操作需要提升/,
    ],
  },
  'netsh-service-unreachable': {
    family: 'netsh',
    status: 'error',
    meaning:
      'netsh could not talk to the Windows Firewall service (stopped, or not reachable), so it listed nothing',
    patterns: [
      /^an error occurred while attempting to contact the (windows|windows defender) firewall service\./,
    ],
  },
  'netsh-bad-arguments': {
    family: 'netsh',
    status: 'error',
    meaning: 'netsh did not understand the command line, so it did nothing',
    patterns: [/^the number of arguments provided is not valid\./],
  },
  'sc-failed': {
    family: 'sc',
    status: 'error',
    meaning: 'sc reported a Windows error',
    patterns: [/^\[sc\] [a-z:]+ failed \d+:?/],
  },
  'sc-success': {
    family: 'sc',
    status: 'pass',
    meaning: 'sc finished the call',
    patterns: [/^\[sc\] [a-z:]+ success$/],
  },
  'tasklist-no-tasks': {
    family: 'tasklist',
    status: 'warn',
    meaning: 'tasklist found no process matching the filter',
    patterns: [
      /^info: no tasks are running which match the specified criteria\.?$/,
      /^information: es werden keine aufgaben mit den angegebenen kriterien ausgeführt\.?$/,
    ],
  },
};

export interface FoundMessage {
  id: MessageId;
  /** The line as printed (control characters already removed), trimmed. */
  line: string;
  /** 0-based line number in the output. */
  lineIndex: number;
}

const MESSAGE_IDS = Object.keys(MESSAGES) as MessageId[];
const PADDED_LABEL = /^[^:：]{1,60}[:：] {2,}\S/u;

/** Lines of `text` that are known messages, in order. A capture prefix ("[*] ", an indent) is ignored. */
export function findMessages(lines: readonly string[]): FoundMessage[] {
  const found: FoundMessage[] = [];
  lines.forEach((raw, lineIndex) => {
    const line = raw.trim();
    // Messages are short sentences; long lines and netsh's padded `Label:   value` lines never are one (and
    // a 5,000-rule listing has 100,000 of those to skip cheaply).
    if (line === '' || line.length > 200 || PADDED_LABEL.test(line)) return;
    const bare = normalizeWord(line.replace(/^\[[*+!-]\]\s+/, ''));
    const id = MESSAGE_IDS.find((candidate) => MESSAGES[candidate].patterns.some((p) => p.test(bare)));
    if (id !== undefined) found.push({ id, line, lineIndex });
  });
  return found;
}

/** Win32 errors sc prints as `[SC] … FAILED n:` (System Error Codes, learn.microsoft.com). */
export const SC_ERRORS: Record<number, string> = {
  5: 'access is denied (run it as an administrator)',
  1053: 'the service did not respond to the start or control request in time',
  1056: 'the service is already running',
  1058: 'the service is disabled',
  1060: 'the service is not installed',
  1061: 'the service cannot accept control messages now',
  1062: 'the service has not been started',
  1072: 'the service is marked for deletion',
};
