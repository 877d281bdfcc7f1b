import type { IdSource } from '../ids';
import { ChangeFeed } from './changes';
import { Directory, type EmulatedChannel, type EmulatedUser } from './directory';
import { FileStore } from './files';
import { MessageStore } from './messages';
import { type ViewOwner, ViewStore } from './views';

/** Everything a Slack workspace holds that the app can change, one store per kind, all reporting to one feed. */
export interface Workspace {
  directory: Directory;
  messages: MessageStore;
  views: ViewStore;
  files: FileStore;
  changes: ChangeFeed;
}

export interface WorkspaceSetup {
  users: readonly EmulatedUser[];
  channels: readonly EmulatedChannel[];
  owner: ViewOwner;
}

export function createWorkspace(setup: WorkspaceSetup, ids: IdSource, now: () => number): Workspace {
  const changes = new ChangeFeed();
  return {
    directory: new Directory(setup.users, setup.channels, ids),
    messages: new MessageStore(ids, now, changes),
    views: new ViewStore(ids, now, changes, setup.owner),
    files: new FileStore(ids, now, changes),
    changes,
  };
}
