import { App, type CustomRoute } from '@slack/bolt';
import { commands } from '../../commands';
import type { SlackConfig } from '../config';
import { databaseState } from '../db/connection';
import { registerApprovals } from './approvals/review';
import { boltLogger } from './boltLogger';
import { registerCommand } from './handle';
import { registerHome } from './home';
import { registerNewPreview } from './newPreview';
import { registerFixDuplicates } from './notifier/fixDuplicates';

/**
 * A Web API call retries a few times over at most about a minute (429s wait out Retry-After), so a paced
 * sender never holds a limiter slot for the half hour @slack/web-api's default policy allows.
 */
export const SHORT_RETRIES = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 15_000 };

/** GET /healthz: 200 with the database state while it is connected, 503 otherwise (for load balancers). */
const healthz: CustomRoute = {
  path: '/healthz',
  method: ['GET'],
  handler: (_req, res) => {
    const database = databaseState();
    res.writeHead(database === 'connected' ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ database }));
  },
};

/** The Bolt app with every listener: HTTP receiver at /slack/events, or Socket Mode with an app token. */
export function createSlackApp(config: SlackConfig, extraRoutes: CustomRoute[] = []): App {
  const logger = boltLogger();
  const clientOptions = { slackApiUrl: config.apiUrl, retryConfig: SHORT_RETRIES, logger };
  const customRoutes = [healthz, ...extraRoutes];
  const app = config.appToken
    ? new App({
        token: config.botToken,
        appToken: config.appToken,
        socketMode: true,
        customRoutes,
        installerOptions: { port: config.port },
        clientOptions,
        logger,
      })
    : new App({ token: config.botToken, signingSecret: config.signingSecret, customRoutes, clientOptions, logger });
  for (const command of commands) registerCommand(app, command);
  registerHome(app);
  registerApprovals(app);
  registerFixDuplicates(app);
  registerNewPreview(app);
  return app;
}
