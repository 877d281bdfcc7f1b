import { ServiceDeskClient, Version3Client } from 'jira.js';
import type { AtlassianConfig } from '../config';
import { AdminClient } from './admin';
import { SitePacer } from './pacing';

/** The clients of one site (jira.js, Basic auth) and of the organization (Admin API), sharing one pacer. */
export interface AtlassianClients {
  host: string;
  jira: Version3Client;
  desk: ServiceDeskClient;
  admin: AdminClient | null;
  /** Every call goes through here: paced per site, rate limits waited out, failures one sentence. */
  call<T>(what: string, request: () => Promise<T>): Promise<T>;
}

export function siteBaseUrl(config: AtlassianConfig, host: string): string {
  return config.siteBaseUrl.replaceAll('{host}', host);
}

export function atlassianClients(config: AtlassianConfig, host: string, pacer = new SitePacer()): AtlassianClients {
  // jira.js takes the base URL as axios's baseURL, so a path prefix (the emulator's /{host}) is kept.
  const options = {
    host: siteBaseUrl(config, host),
    authentication: { basic: { email: config.email, apiToken: config.apiToken } },
    baseRequestConfig: { timeout: 30_000 },
  };
  return {
    host,
    jira: new Version3Client(options),
    desk: new ServiceDeskClient(options),
    admin: config.admin ? new AdminClient(config.admin, pacer) : null,
    call: (what, request) => pacer.call(host, what, request),
  };
}
