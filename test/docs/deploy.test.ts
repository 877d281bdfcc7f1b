import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { healthRoutes } from '../../src/health';
import { metricsRoute, registry } from '../../src/metrics';
import { ROOT } from '../support/processes';

/**
 * docs/deploy.md is followed by operators: each command in it must be one CI or a test runs, each setting one the
 * bot reads, each metric one it exports. This reads the guide and checks every one against the code.
 */
const guide = readFileSync(join(ROOT, 'docs', 'deploy.md'), 'utf8');
const scripts = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as object);
const config = readFileSync(join(ROOT, 'src', 'config.ts'), 'utf8');
const ciRun = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');

const shellLines = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) =>
  (block[1] ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#')),
);

/** The rows of the markdown table whose header starts with `first`, as arrays of cells. */
function table(first: string): string[][] {
  const start = guide.indexOf(`| ${first} |`);
  expect(start).toBeGreaterThan(-1);
  const rows = guide.slice(start).split('\n\n')[0]?.split('\n').slice(2) ?? [];
  return rows.map((row) =>
    row
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
}
const firstCode = (cell: string | undefined) => /^`([^`]+)`/.exec(cell ?? '')?.[1] ?? '';

const settings = table('Variable').map((row) => firstCode(row[0]));
/** The settings src/config.ts parses, and the ones read elsewhere in src. */
const configKeys = [...config.matchAll(/^\s+([A-Z][A-Z0-9_]+): /gm)].map((m) => m[1]);
const readDirectly = ['MONGODB_URI', 'NODE_ENV', 'LOG_LEVEL'];

async function cliCommands(): Promise<string[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    join(ROOT, 'dist', 'src', 'cli', 'accounts.js'),
    '--help',
  ]);
  return [...stdout.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1] ?? '');
}

it('names only commands that CI or a test runs', async () => {
  const commands = await cliCommands();
  const routes = [...healthRoutes(() => false), metricsRoute].map((route) => route.path);
  expect(shellLines.length).toBeGreaterThan(5);
  for (const line of shellLines) {
    const words = line.split(/\s+/);
    // Leading VAR=value words are settings of the table.
    while (/^[A-Z_]+=/.test(words[0] ?? '')) expect(settings).toContain(words.shift()?.split('=')[0]);
    const command = words.join(' ');
    if (command.startsWith('npm run accounts -- ')) {
      expect(commands).toContain(words[4]);
      // `accounts worker` is run as a process by the durability and hand-over tests.
      expect(words[4]).toBe('worker');
    } else if (command.startsWith('curl ')) {
      const path = new URL(words.at(-1) ?? '').pathname;
      expect(routes).toContain(path);
      expect(ciRun).toContain(`curl -fsS "http://127.0.0.1:$port${path}"`);
    } else {
      // npm ci runs `prepare` (the build); .ci/run runs npm ci and npm start.
      expect(['npm ci', 'npm run build', 'npm start']).toContain(command);
      expect(ciRun).toContain(command === 'npm run build' ? 'npm ci' : command);
      if (command === 'npm run build') expect(scripts).toContain('build');
    }
  }
});

it('lists every setting the bot reads, and only those', () => {
  expect(new Set(settings)).toEqual(new Set([...configKeys, ...readDirectly]));
});

it('names the metrics GET /metrics exports', async () => {
  const exported = (await registry.getMetricsAsJSON()).map((metric) => metric.name);
  const documented = table('Metric')
    .map((row) => firstCode(row[0]))
    .filter((name) => !name.endsWith('*'));
  expect(documented.length).toBeGreaterThan(10);
  for (const name of documented) expect(exported).toContain(name);
  for (const name of exported.filter((n) => /^(slack|accounts)_/.test(n))) expect(documented).toContain(name);
  // The alert rules use documented metrics only.
  const rules = /```yaml\n([\s\S]*?)```/.exec(guide)?.[1] ?? '';
  for (const [used] of rules.matchAll(/\b(?:slack|accounts)_[a-z_]+/g)) {
    expect(documented).toContain(used.replace(/_(bucket|count|sum)$/, ''));
  }
});

it('names the scopes manifest.yml asks for', () => {
  const manifest = readFileSync(join(ROOT, 'manifest.yml'), 'utf8');
  const scopes = /bot:\n((?:\s+- .+\n)+)/.exec(manifest)?.[1]?.match(/[a-z:]+(?=\n)/g) ?? [];
  expect(scopes.length).toBeGreaterThan(0);
  expect(new Set(table('Scope').map((row) => firstCode(row[0])))).toEqual(new Set(scopes));
});
