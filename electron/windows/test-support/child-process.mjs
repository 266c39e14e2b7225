// A stand-in for a Windows console program, started by the runner tests with `node child-process.mjs <mode>`.
// It writes the same kinds of bytes a console program writes to a pipe.
const mode = process.argv[2];

// German netsh "no rules match" (netsh-msg-norules-de-1.txt) in cp850: "ü" is 0x81.
const germanCp850 = Buffer.concat([
  Buffer.from('Keine Regeln stimmen mit den angegebenen Kriterien ', 'latin1'),
  Buffer.from([0x81]),
  Buffer.from('berein.\r\n', 'latin1'),
]);
// Russian netsh "no rules match" (docs/windows-commands.md §4) in cp866 (bytes checked with Python's cp866 codec).
const russianCp866 = Buffer.from(
  '8da820aea4adae20afe0a0a2a8abae20ada520e1aeaee2a2a5e2e1e2a2e3a5e220e3aaa0a7a0adadebac20aae0a8e2a5e0a8efac2e0d0a',
  'hex',
);

switch (mode) {
  case 'cp850':
    process.stdout.write(germanCp850);
    break;
  case 'cp866':
    process.stdout.write(russianCp866);
    break;
  case 'utf8':
    process.stdout.write(Buffer.from('規則名:                               WSL SSH 2222\r\n', 'utf8'));
    break;
  case 'utf16':
    process.stdout.write(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Rule Name: ping\r\n', 'utf16le')]),
    );
    break;
  case 'exit':
    process.stdout.write('\r\nNo rules match the specified criteria.\r\n');
    process.stderr.write('stderr line\r\n');
    process.exitCode = Number(process.argv[3] ?? 1);
    break;
  case 'sleep':
    process.stdout.write('started\r\n');
    setTimeout(() => process.stdout.write('too late\r\n'), 30_000);
    break;
  case 'flood': {
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    const write = () => {
      while (process.stdout.write(chunk));
      process.stdout.once('drain', write);
    };
    write();
    break;
  }
  case 'args':
    process.stdout.write(JSON.stringify(process.argv.slice(3)));
    break;
  default:
    process.stderr.write(`unknown mode ${mode}\n`);
    process.exitCode = 64;
}
