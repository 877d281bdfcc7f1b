import { GROUP_REVIEW_REQUESTED, GROUP_REVIEWED } from '../../accounts/groupReview';
import { JOB_ENDED } from '../../jobs/finish';
import { announceReview, postReviewCards } from '../approvals/cards';
import type { EventHandler, Ticker } from '.';
import { showBatchProgress } from './batchProgress';
import { announceJobEnded } from './jobEnded';

/** The handler of each outbox event type the bot tells people about, and what runs on every tick. */
export const eventHandlers: Record<string, EventHandler> = {};

eventHandlers[GROUP_REVIEW_REQUESTED] = postReviewCards;
eventHandlers[GROUP_REVIEWED] = announceReview;

export const tickers: Ticker[] = [];

eventHandlers[JOB_ENDED] = announceJobEnded;
tickers.push(showBatchProgress);
