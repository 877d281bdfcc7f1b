import { GROUP_REVIEW_REQUESTED, GROUP_REVIEWED } from '../../accounts/groupReview';
import { JOB_ENDED } from '../../jobs/finish';
import { announceReview, postReviewCards, remindReview, reviewReminders } from '../approvals/cards';
import type { EventHandler, Ticker } from '.';
import { showBatchProgress } from './batchProgress';
import { announceJobEnded } from './jobEnded';
import { DELIVERY_FAILED, REVIEW_REMINDER, tellUndelivered } from './undelivered';

/** The handler of each outbox event type the bot tells people about, and what runs on every tick. */
export const eventHandlers: Record<string, EventHandler> = {};

eventHandlers[GROUP_REVIEW_REQUESTED] = postReviewCards;
eventHandlers[GROUP_REVIEWED] = announceReview;
eventHandlers[REVIEW_REMINDER] = remindReview;

export const tickers: Ticker[] = [];

eventHandlers[JOB_ENDED] = announceJobEnded;
tickers.push(showBatchProgress, reviewReminders());

eventHandlers[DELIVERY_FAILED] = tellUndelivered;
