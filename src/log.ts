import pino from 'pino';

/** One structured logger for the process, on stderr so that CLI output on stdout stays clean. */
export const log = pino({ level: process.env.LOG_LEVEL ?? 'info', base: undefined }, pino.destination(2));

export type Logger = typeof log;
