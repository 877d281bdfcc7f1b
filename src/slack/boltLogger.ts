import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import { log } from '../log';

/** Bolt and the Web API client log through our logger, so everything is one JSON stream. */
export function boltLogger(): SlackLogger {
  let level = LogLevel.INFO;
  const child = log.child({ component: 'slack' });
  const text = (parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
  return {
    debug: (...msg) => child.debug(text(msg)),
    info: (...msg) => child.info(text(msg)),
    warn: (...msg) => child.warn(text(msg)),
    error: (...msg) => child.error(text(msg)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
