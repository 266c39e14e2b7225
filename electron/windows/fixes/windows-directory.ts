// Where Windows lives, for the programs a fix starts (netsh, sc, the PowerShell that asks for elevation).
// Not %SystemRoot%: any program running as the user can start us with its own environment (or set a user
// variable), and an elevated netsh.exe found through it would be the attacker's, behind a genuine UAC prompt.
// Not reg.exe either: finding reg.exe needs the very folder we are looking for.
// The source used is the loader's own record of where it mapped ntdll.dll / kernel32.dll into this process
// (Node's diagnostic report, `sharedObjects`). Both are Known DLLs, mapped from the system directory the
// kernel set at boot; no environment variable, file or registry value a user process can write changes that.
// Inside the elevated script the programs are found again with [Environment]::SystemDirectory
// (GetSystemDirectoryW), which does not read the environment either.

const KNOWN_DLLS = ['ntdll.dll', 'kernel32.dll'];
// A local drive path of letters, digits, spaces and the few marks Windows folder names commonly hold.
const SAFE_WINDOWS_DIRECTORY = /^[A-Za-z]:\\(?:[\p{L}\p{N} ._()-]+\\)*[\p{L}\p{N} ._()-]+$/u;

/** Pure: the Windows folder from the paths of the modules loaded in this process; null when not clear. */
export function windowsDirectoryFromModules(modules: readonly string[]): string | null {
  const found = new Set<string>();
  for (const module of modules) {
    const parts = module.split('\\');
    const file = parts.at(-1)?.toLowerCase();
    const system32 = parts.at(-2)?.toLowerCase();
    if (!file || !KNOWN_DLLS.includes(file) || system32 !== 'system32') continue;
    const directory = parts.slice(0, -2).join('\\');
    if (SAFE_WINDOWS_DIRECTORY.test(directory)) found.add(directory);
  }
  // Two different answers would mean something odd; trust neither.
  const distinct = new Set([...found].map((directory) => directory.toLowerCase()));
  return distinct.size === 1 ? ([...found][0] ?? null) : null;
}

interface ReportWithModules {
  sharedObjects?: unknown;
}

/** The Windows folder of this computer, or null outside Windows or when it cannot be told safely. */
export function findWindowsDirectory(platform: NodeJS.Platform = process.platform): string | null {
  if (platform !== 'win32') return null;
  try {
    const report = process.report?.getReport() as ReportWithModules | undefined;
    const modules = Array.isArray(report?.sharedObjects)
      ? report.sharedObjects.filter((item): item is string => typeof item === 'string')
      : [];
    return windowsDirectoryFromModules(modules);
  } catch {
    return null;
  }
}
