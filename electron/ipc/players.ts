// Finding Windows Media Player and VLC on this computer, and opening a stream in one of them. The URL has
// passed the stream URL parser before it gets here; it goes to the program as one argument (no shell).
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { PlayerId, PlayerInfo } from './contract';

export interface PlayerPort {
  detect(): Promise<PlayerInfo[]>;
  open(player: PlayerId, url: string): Promise<void>;
}

const PLAYER_NAMES: Record<PlayerId, string> = { wmp: 'Windows Media Player', vlc: 'VLC media player' };

/** Where the players install themselves; %ProgramFiles% and %ProgramFiles(x86)% both, since VLC comes in both. */
export function playerCandidates(
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
): Record<PlayerId, string[]> {
  if (platform === 'win32') {
    const roots = [env.ProgramFiles, env['ProgramFiles(x86)'], env.ProgramW6432].filter(
      (r): r is string => !!r,
    );
    const unique = [...new Set(roots.length > 0 ? roots : ['C:\\Program Files'])];
    return {
      wmp: unique.map((root) => path.win32.join(root, 'Windows Media Player', 'wmplayer.exe')),
      vlc: unique.map((root) => path.win32.join(root, 'VideoLAN', 'VLC', 'vlc.exe')),
    };
  }
  if (platform === 'darwin') return { wmp: [], vlc: ['/Applications/VLC.app/Contents/MacOS/VLC'] };
  return { wmp: [], vlc: ['/usr/bin/vlc', '/usr/local/bin/vlc', '/snap/bin/vlc'] };
}

export interface SystemPlayerOptions {
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  exists?: (file: string) => Promise<boolean>;
  launch?: (file: string, args: string[]) => void;
}

export function createSystemPlayers(options: SystemPlayerOptions = {}): PlayerPort {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const exists =
    options.exists ??
    ((file: string) =>
      access(file).then(
        () => true,
        () => false,
      ));
  const launch =
    options.launch ??
    ((file: string, args: string[]) => {
      const child = spawn(file, args, { shell: false, detached: true, stdio: 'ignore', windowsHide: false });
      child.on('error', () => undefined);
      child.unref();
    });
  const locate = async (id: PlayerId): Promise<string | null> => {
    for (const candidate of playerCandidates(platform, env)[id])
      if (await exists(candidate)) return candidate;
    return null;
  };
  return {
    async detect() {
      const found = await Promise.all(
        (['wmp', 'vlc'] as const).map(async (id) => ({ id, file: await locate(id) })),
      );
      return found.map(({ id, file }) => ({ id, name: PLAYER_NAMES[id], available: file !== null }));
    },
    async open(player, url) {
      const file = await locate(player);
      if (!file) throw new Error(`${PLAYER_NAMES[player]} is not installed on this computer.`);
      launch(file, [url]);
    },
  };
}
