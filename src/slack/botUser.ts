import type { webApi } from '@slack/bolt';

const known = new WeakMap<webApi.WebClient, Promise<string | null>>();

/**
 * The bot's own user id (auth.test, asked once per client), for telling people how to `/invite` it; null when
 * Slack does not answer (asked again next time).
 */
export function botUserOf(client: webApi.WebClient): Promise<string | null> {
  let id = known.get(client);
  if (!id) {
    id = client.auth.test().then(
      (auth) => auth.user_id ?? null,
      () => {
        known.delete(client);
        return null;
      },
    );
    known.set(client, id);
  }
  return id;
}
