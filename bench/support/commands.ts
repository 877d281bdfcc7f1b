import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';

export interface CommandTally {
  /** "<command> <collection>", e.g. "update jobItems". */
  key: string;
  count: number;
  /** Summed round-trip time as the driver saw it: where the run waited on the server. */
  ms: number;
}

/**
 * Counts the commands a MongoClient sends (it must be connected with monitorCommands), by command name and
 * collection, with their summed durations.
 */
export class CommandCounter {
  private readonly tallies = new Map<string, CommandTally>();
  private readonly inFlight = new Map<number, CommandTally>();
  total = 0;

  private readonly started = (event: CommandStartedEvent) => {
    // getMore names its collection in a field of its own; admin commands (buildInfo: 1) name none.
    const target = event.commandName === 'getMore' ? event.command.collection : event.command[event.commandName];
    const key = typeof target === 'string' ? `${event.commandName} ${target}` : event.commandName;
    const tally = this.tallies.get(key) ?? { key, count: 0, ms: 0 };
    this.tallies.set(key, tally);
    tally.count++;
    this.total++;
    this.inFlight.set(event.requestId, tally);
  };

  private readonly ended = (event: CommandSucceededEvent | CommandFailedEvent) => {
    const tally = this.inFlight.get(event.requestId);
    if (!tally) return;
    tally.ms += event.duration;
    this.inFlight.delete(event.requestId);
  };

  constructor(private readonly client: MongoClient) {
    client.on('commandStarted', this.started);
    client.on('commandSucceeded', this.ended);
    client.on('commandFailed', this.ended);
  }

  stop(): void {
    this.client.off('commandStarted', this.started);
    this.client.off('commandSucceeded', this.ended);
    this.client.off('commandFailed', this.ended);
  }

  /** Busiest first. */
  breakdown(): CommandTally[] {
    return [...this.tallies.values()].sort((a, b) => b.count - a.count || b.ms - a.ms);
  }
}
