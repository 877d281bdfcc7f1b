import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The sandbox's files that are not TypeScript (the page, the demo directory) stay in src/sandbox, and
 * manifest.yml at the project's root: both `npm start` (dist/src/sandbox) and the tests (src/sandbox) find them
 * from the package root, so no build step copies them.
 */
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

const ROOT = packageRoot(__dirname);

export const SANDBOX_PATHS = {
  manifest: join(ROOT, 'manifest.yml'),
  demoDirectory: join(ROOT, 'src', 'sandbox', 'demo-directory.json'),
  publicDir: join(ROOT, 'src', 'sandbox', 'public'),
};
