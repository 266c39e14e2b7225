import { describe, expect, it } from 'vitest';
import { createSystemPlayers, playerCandidates } from './players';

describe('players', () => {
  const env = { ProgramFiles: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)' };

  it('looks in both Program Files folders on Windows', () => {
    expect(playerCandidates('win32', env)).toEqual({
      wmp: [
        'C:\\Program Files\\Windows Media Player\\wmplayer.exe',
        'C:\\Program Files (x86)\\Windows Media Player\\wmplayer.exe',
      ],
      vlc: ['C:\\Program Files\\VideoLAN\\VLC\\vlc.exe', 'C:\\Program Files (x86)\\VideoLAN\\VLC\\vlc.exe'],
    });
    expect(playerCandidates('linux', {}).wmp).toEqual([]);
  });

  it('detects what exists and launches it with the URL as one argument', async () => {
    const launched: Array<[string, string[]]> = [];
    const players = createSystemPlayers({
      platform: 'win32',
      env,
      exists: async (file) => file === 'C:\\Program Files (x86)\\VideoLAN\\VLC\\vlc.exe',
      launch: (file, args) => launched.push([file, args]),
    });
    expect(await players.detect()).toEqual([
      { id: 'wmp', name: 'Windows Media Player', available: false },
      { id: 'vlc', name: 'VLC media player', available: true },
    ]);
    await players.open('vlc', 'mmst://h/live & calc');
    expect(launched).toEqual([['C:\\Program Files (x86)\\VideoLAN\\VLC\\vlc.exe', ['mmst://h/live & calc']]]);
    await expect(players.open('wmp', 'rtsp://h/live')).rejects.toThrow(
      'Windows Media Player is not installed on this computer.',
    );
  });
});
