import type { ApiMethod } from './types';

/** Socket Mode: a WebSocket URL for the app, asked for with an app-level token. */
export const appMethods: Record<string, ApiMethod> = {
  'apps.connections.open': { token: 'app', handle: (_args, ctx) => ({ url: ctx.socketMode.issueUrl() }) },
};
