import { execFileSync } from 'node:child_process';

/**
 * A Python 3 with the given modules importable: $PYTHON, else Debian's /usr/bin/python3, else
 * python3 on the PATH. `null` when none has them.
 */
export function findPython(modules: readonly string[]): string | null {
  for (const candidate of [process.env['PYTHON'], '/usr/bin/python3', 'python3']) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['-c', modules.map((m) => `import ${m}`).join('; ')], {
        stdio: 'ignore',
        timeout: 60_000,
      });
      return candidate;
    } catch {
      // Not this one.
    }
  }
  return null;
}

/** Runs a Python script with JSON on stdin and returns its JSON output. */
export function runPython<T>(python: string, script: string, input: unknown, timeout = 300_000): T {
  const out = execFileSync(python, [script], { input: JSON.stringify(input), timeout, maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out.toString('utf8')) as T;
}

/** Runs a Python script with one JSON value a line on stdin (fast for many thousands) and returns its JSON output. */
export function runPythonLines<T>(python: string, script: string, lines: readonly unknown[], timeout = 600_000): T {
  const input = lines.map((l) => JSON.stringify(l)).join('\n');
  const out = execFileSync(python, [script], { input, timeout, maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out.toString('utf8')) as T;
}
