import { describe, expect, it } from 'vitest';
import { parseSc } from './sc';
import { fixtureText } from './test-support/fixtures';

describe('parseSc on transcripts', () => {
  it('ends a service at the next prompt instead of reading the prompt as a field', () => {
    // Derived from the real `sc qc` transcript: the same session twice, as a user pastes two commands.
    const session = fixtureText('sc-qc-en-1.txt');
    const result = parseSc(`${session}\r\n${session}`);
    expect(result.services.map((service) => service.name)).toEqual(['AppReadiness', 'AppReadiness']);
    for (const service of result.services) {
      expect(service.fields.map((field) => field.key)).not.toContain('C');
      expect(service.startName).toBe('LocalSystem');
    }
  });

  it('ends a service at a PowerShell prompt too', () => {
    const lines = fixtureText('sc-qc-en-1.txt').replace('C:\\htb> sc qc', 'PS C:\\htb> sc.exe qc');
    const result = parseSc(`${lines}\r\nPS C:\\htb> sc.exe query AppReadiness\r\n`);
    expect(result.services[0]?.fields.map((field) => field.key)).not.toContain('PS C');
  });
});
