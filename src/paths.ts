import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The package's root: files that are not TypeScript (the sandbox page, manifest.yml, scripts/, tools/) are found
 * from it both by `npm start` (dist/src/…) and by the tests (src/…), so no build step copies them.
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

export const PACKAGE_ROOT = packageRoot(__dirname);
