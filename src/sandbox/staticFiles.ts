import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CustomRoute } from '@slack/bolt';
import { SANDBOX_PATHS } from './paths';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

/** Plain names only, so a request cannot reach outside the page's folder. */
const FILE_NAME = /^[\w-]+\.(html|css|js|svg)$/;

/**
 * The page: plain HTML, CSS and ES modules, served as they are in src/sandbox/public (nothing to build). Read at
 * every request, so editing the page needs only a reload.
 */
export function staticRoutes(dir = SANDBOX_PATHS.publicDir): CustomRoute[] {
  const serve = (folder: string, name: string): CustomRoute['handler'] => {
    return async (req, res) => {
      const file = name || String(req.params?.file);
      const type = FILE_NAME.exec(file)?.[1];
      try {
        if (!type) throw new Error('not a page file');
        const bytes = await readFile(join(dir, folder, file));
        res.writeHead(200, { 'Content-Type': TYPES[type] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
        res.end(bytes);
      } catch {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      }
    };
  };
  return [
    { path: '/', method: 'GET', handler: serve('', 'index.html') },
    { path: '/sandbox/static/:file', method: 'GET', handler: serve('', '') },
    { path: '/sandbox/static/js/:file', method: 'GET', handler: serve('js', '') },
  ];
}
