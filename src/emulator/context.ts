import type { Faults } from './faults';
import type { IdSource } from './ids';
import type { EmulatorConfig } from './options';
import type { ResponseUrls } from './responseUrls';
import type { SocketModeHub } from './socketMode';
import type { Workspace } from './state/workspace';
import type { TriggerRegistry } from './triggers';

/** What the Web API methods, the emulator's other URLs and the platform hooks share. */
export interface EmulatorContext {
  config: EmulatorConfig;
  workspace: Workspace;
  ids: IdSource;
  triggers: TriggerRegistry;
  responseUrls: ResponseUrls;
  socketMode: SocketModeHub;
  /** http://127.0.0.1:<port>, the base of the URLs the emulator hands out. */
  baseUrl: string;
  now: () => number;
  faults: Faults;
}
