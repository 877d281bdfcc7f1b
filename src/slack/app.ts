import { App, type CustomRoute } from '@slack/bolt';
import { commands } from '../../commands';
import type { SlackConfig } from '../config';
import { markReceived, meteredFetch } from '../metrics';
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

/**
 * The Bolt app with every listener: HTTP receiver at /slack/events, or Socket Mode with an app token. The health,
 * readiness and metrics routes come from startBot, with the sandbox's, in extraRoutes.
 */
export function createSlackApp(config: SlackConfig, extraRoutes: CustomRoute[] = []): App {
  const logger = boltLogger();
  // meteredFetch: every Web API request, of every client Bolt makes from these options, is counted (metrics).
  const clientOptions = { slackApiUrl: config.apiUrl, retryConfig: SHORT_RETRIES, logger, fetch: meteredFetch };
  const customRoutes = extraRoutes;
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
  app.use(markReceived);
  for (const command of commands) registerCommand(app, command);
  registerHome(app);
  registerApprovals(app);
  registerFixDuplicates(app);
  registerNewPreview(app);
  return app;
}
