import type { EventHandler, Ticker } from '.';

/** The handler of each outbox event type the bot tells people about, and what runs on every tick. */
export const eventHandlers: Record<string, EventHandler> = {};

export const tickers: Ticker[] = [];
