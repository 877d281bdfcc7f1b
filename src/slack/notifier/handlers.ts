import { JOB_ENDED } from '../../jobs/finish';
import type { EventHandler, Ticker } from '.';
import { showBatchProgress } from './batchProgress';
import { announceJobEnded } from './jobEnded';

/** The handler of each outbox event type the bot tells people about, and what runs on every tick. */
export const eventHandlers: Record<string, EventHandler> = {};

export const tickers: Ticker[] = [];

eventHandlers[JOB_ENDED] = announceJobEnded;
tickers.push(showBatchProgress);
