// How commands look to a person and how scripts reach PowerShell. One module, so the text a person reads is
// always rendered from the very argument array that runs, and a script is always passed encoded.
import type { CommandSpec } from './runner';

/** PowerShell's -EncodedCommand: base64 of the UTF-16LE script, so no quoting rule can bite. */
export function encodePowerShell(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

/** The script inside an -EncodedCommand argument. */
export function decodePowerShell(encoded: string): string {
  return Buffer.from(encoded, 'base64').toString('utf16le');
}

/** Text as data in a PowerShell script: base64 of its UTF-8 bytes, decoded by the script at run time. */
export function powerShellTextLiteral(text: string): string {
  // The base64 alphabet holds no quote, so the single-quoted literal cannot be left whatever `text` holds.
  return `([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${Buffer.from(text, 'utf8').toString('base64')}')))`;
}

const quoteArgument = (arg: string): string => (/[\s"]/.test(arg) ? `"${arg.replace(/"/g, '\\"')}"` : arg);

/**
 * The command as a person would type it. An -EncodedCommand script is shown decoded (as the -Command it is
 * equivalent to), so the reader sees what PowerShell will run, not base64.
 */
export function displayCommand(spec: CommandSpec): string {
  const args = [...spec.args];
  const encodedAt = args.findIndex((arg) => arg.toLowerCase() === '-encodedcommand');
  const encoded = encodedAt >= 0 ? args[encodedAt + 1] : undefined;
  if (encoded !== undefined) {
    const script = decodePowerShell(encoded).replace(/\r?\n/g, '; ');
    return [spec.file, ...args.slice(0, encodedAt).map(quoteArgument), '-Command', `"${script}"`]
      .concat(args.slice(encodedAt + 2).map(quoteArgument))
      .join(' ');
  }
  return [spec.file, ...args.map(quoteArgument)].join(' ');
}
