// Connects the handler table's WindowsPort to the Windows layer (electron/windows). Provisional until the
// layer's analysis and fixes land: no local checks and no fixes.
import { NO_WINDOWS, type WindowsPort } from './windows-port';

export function createWindowsPort(): WindowsPort {
  return NO_WINDOWS;
}
