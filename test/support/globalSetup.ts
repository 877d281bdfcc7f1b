import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Tests that start the app or the CLI in a child process run the compiled code in dist/, exactly what
 * `npm start` and the `accounts` bin run. Rebuild it when any source is newer than the last build.
 */
const ROOT = join(__dirname, '..', '..');
// tsc rewrites every output on each build, so any output's time is the build's time.
const BUILT = join(ROOT, 'dist', 'src', 'cli', 'accounts.js');
const SOURCES = ['src', 'commands', 'views', 'bench'];

function newestSource(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export default function globalSetup(): void {
  const built = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
  const changed = Math.max(...SOURCES.map((dir) => newestSource(join(ROOT, dir))));
  if (changed <= built) return;
  // tsc emits even when types are wrong; type errors are `tsc --noEmit`'s to report (npm test runs it first).
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'ignore' });
  if (!existsSync(BUILT)) throw new Error('tsc produced no dist/: run `npm run build` to see why');
}
