import { join } from 'node:path';
import { PACKAGE_ROOT as ROOT } from '../paths';

/** The sandbox's files that are not TypeScript (the page, the demo directory) stay in src/sandbox. */
export const SANDBOX_PATHS = {
  manifest: join(ROOT, 'manifest.yml'),
  demoDirectory: join(ROOT, 'src', 'sandbox', 'demo-directory.json'),
  publicDir: join(ROOT, 'src', 'sandbox', 'public'),
};
