// The CLI's io for tests: what it prints is collected, files are served from memory.
export function memoryIo(files: Record<string, Buffer> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: (s: string) => out.push(s),
      stderr: (s: string) => err.push(s),
      readFile: (path: string) => {
        const file = files[path];
        return file
          ? Promise.resolve(file)
          : Promise.reject(new Error(`ENOENT: no such file, open '${path}'`));
      },
    },
  };
}
