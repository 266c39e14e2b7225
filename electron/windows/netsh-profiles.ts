// Parser for `netsh advfirewall show allprofiles` / `show currentprofile` (docs/windows-commands.md §3). Keys have
// no colon; the value starts after a run of blanks. The firewall state is the first setting of each block
// (ON/OFF, EIN/AUS, 打开/关闭…), and the policy keywords (BlockInbound,AllowOutbound) are never translated.
import { firewallStateWord, profileKeyOf, profileOfHeader, type ProfileWord } from './netsh-words';
import { splitLines, splitSeparatedBlocks, trimValue, type SeparatedBlock } from './netsh-rules';

export type InboundPolicy = 'block' | 'block-always' | 'allow';
export type OutboundPolicy = 'block' | 'allow';

export interface FirewallProfileState {
  /** null when the header is in a language the table does not know. */
  profile: ProfileWord | null;
  header: string;
  state: 'on' | 'off' | null;
  defaultInbound: InboundPolicy | null;
  defaultOutbound: OutboundPolicy | null;
  settings: { key: string; value: string }[];
}

const SETTING = /^(\S.*?)[ \t\u3000]{2,}(\S.*?)\s*$/u;
const POLICY = /^(BlockInboundAlways|BlockInbound|AllowInbound),(BlockOutbound|AllowOutbound)$/i;

function inboundOf(word: string): InboundPolicy {
  const lower = word.toLowerCase();
  return lower === 'allowinbound' ? 'allow' : lower === 'blockinboundalways' ? 'block-always' : 'block';
}

/**
 * Blocks of an output whose dashed separator lines were lost (a copy, a filter): a header is a line ending
 * in a colon and followed by setting lines. A header block without a Firewall Policy line right after one
 * with it ("Logging:") belongs to that profile, as in the separated layout; `show allprofiles state` has no
 * policy line in any block, and each of its blocks is a profile.
 */
function unseparatedBlocks(text: string): SeparatedBlock[] {
  const blocks: SeparatedBlock[] = [];
  let previousHasPolicy = false;
  const lines = splitLines(text).map((line) => line.trimEnd());
  for (let i = 0; i < lines.length; i++) {
    const line = trimValue(lines[i] ?? '');
    if (!/[:：]$/u.test(line) || !SETTING.test(lines[i + 1] ?? '')) continue;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && SETTING.test(lines[j] ?? ''); j++) body.push(lines[j] ?? '');
    const hasPolicy = body.some((entry) => POLICY.test(trimValue(SETTING.exec(entry)?.[2] ?? '')));
    const previous = blocks.at(-1);
    if (previous && previousHasPolicy && !hasPolicy) previous.lines.push('', line, ...body);
    else {
      blocks.push({ title: line, lines: body });
      previousHasPolicy = hasPolicy;
    }
    i += body.length;
  }
  return blocks;
}

export function parseNetshProfiles(text: string): FirewallProfileState[] {
  const result: FirewallProfileState[] = [];
  try {
    const separated = splitSeparatedBlocks(text);
    for (const block of separated.length > 0 ? separated : unseparatedBlocks(text)) {
      const header = trimValue(block.title).replace(/[:：]$/u, '');
      const entry: FirewallProfileState = {
        profile: profileOfHeader(header),
        header,
        state: null,
        defaultInbound: null,
        defaultOutbound: null,
        settings: [],
      };
      for (const line of block.lines) {
        const match = SETTING.exec(line);
        if (!match) continue;
        const key = trimValue(match[1] ?? '');
        const value = trimValue(match[2] ?? '');
        // The state is the first setting; a key the table knows as State says so in any position.
        if (entry.settings.length === 0 || profileKeyOf(key) === 'state')
          entry.state = firewallStateWord(value);
        entry.settings.push({ key, value });
        const policy = POLICY.exec(value);
        if (policy) {
          entry.defaultInbound = inboundOf(policy[1] ?? '');
          entry.defaultOutbound = (policy[2] ?? '').toLowerCase() === 'allowoutbound' ? 'allow' : 'block';
        }
      }
      result.push(entry);
    }
  } catch {
    // Never throw on input; what was parsed so far is returned.
  }
  // `show allprofiles` always prints Domain, Private, Public in that order; use it when no header was readable.
  if (result.length === 3 && result.every((entry) => entry.profile === null)) {
    (['domain', 'private', 'public'] as const).forEach((profile, i) => {
      const entry = result[i];
      if (entry) entry.profile = profile;
    });
  }
  return result;
}
