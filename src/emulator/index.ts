/** A local Slack platform for tests and the sandbox page: the Web API emulator and a simulator of Slack's client. */
export { checkMessageBlocks, checkView, describeViolation, SURFACE_LIMITS, type Violation } from './blockKit';
export { readableText } from './blockTree';
export type { CallLog, RecordedCall } from './callLog';
export { type SlackEmulator, startSlackEmulator } from './emulator';
export type { Fault } from './faults';
export { DEFAULT_APP_TOKEN, DEFAULT_RATE_LIMIT, DEFAULT_TOKEN, type SlackEmulatorOptions } from './options';
export type { PlatformHooks, ViewAckOutcome } from './platform/hooks';
export type { UserInput } from './platform/inputs';
export { slackSignature } from './platform/signing';
export {
  type ActionSource,
  type AppResponse,
  type CommandRequestOptions,
  type CommandResult,
  type EnteredValues,
  type InteractionResult,
  type RequestOptions,
  type SimulatorOptions,
  SlackClientSimulator,
  type SubmissionResult,
} from './platform/simulator';
export type { RateLimit } from './rateLimiter';
export type { ResponseTarget } from './responseUrls';
export type { EnvelopeType, SocketModeHub } from './socketMode';
export type { StateChange } from './state/changes';
export type { EmulatedChannel, EmulatedUser } from './state/directory';
export type { FileSnapshot } from './state/files';
export type { MessageContent, StoredMessage } from './state/messages';
export type { EmulatorState, MessageMatch } from './state/queries';
export type { SlackView, StateValues } from './state/views';
