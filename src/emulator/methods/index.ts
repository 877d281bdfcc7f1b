import { appMethods } from './apps';
import { chatMethods } from './chat';
import { directoryMethods } from './directory';
import { fileMethods } from './files';
import type { ApiMethod } from './types';
import { viewMethods } from './views';

/** Every Web API method the emulator answers; any other answers `unknown_method`. */
export const API_METHODS: ReadonlyMap<string, ApiMethod> = new Map(
  Object.entries({ ...appMethods, ...directoryMethods, ...chatMethods, ...viewMethods, ...fileMethods }),
);
