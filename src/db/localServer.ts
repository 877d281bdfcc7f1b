import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, connect as tcpConnect } from 'node:net';
import { join, relative } from 'node:path';
import { log } from '../log';
import { PACKAGE_ROOT } from '../paths';

/**
 * A database server of this process's own, for `npm start` and the CLI on a machine without MongoDB: an
 * embedded mongodb-memory-server where mongod can be had, else the project's FerretDB (tools/ferretdb) on SQLite
 * under data/ferretdb, which keeps the sandbox's state across restarts. Never used in production (connection.ts).
 */
export interface LocalServer {
  uri: string;
  /** Stops the server if this process started it; one another process started is left running. */
  stop(): Promise<void>;
}

export const FERRETDB_DATA_DIR = join(PACKAGE_ROOT, 'data', 'ferretdb');
const MONGO_SERVER = join(PACKAGE_ROOT, 'scripts', 'mongo-server');
/** A first build of FerretDB takes about two minutes; ten is a build that is not coming. */
const START_TIMEOUT_MS = 10 * 60_000;

export async function startLocalServer(): Promise<LocalServer | undefined> {
  return (await startMemoryServer()) ?? (await startFerretDb());
}

async function startMemoryServer(): Promise<LocalServer | undefined> {
  try {
    const { MongoBinary, MongoMemoryServer } = await import('mongodb-memory-server');
    // Find (or download) mongod first: that fails quietly, whereas a failed create() prints a stack trace.
    await MongoBinary.getPath();
    const server = await MongoMemoryServer.create();
    log.info('Started an embedded MongoDB (mongodb-memory-server); data is lost when the process stops.');
    return {
      uri: server.getUri(),
      stop: async () => {
        await server.stop();
      },
    };
  } catch (error) {
    log.debug({ err: error }, 'mongodb-memory-server could not start');
    return undefined;
  }
}

/** One FerretDB per data folder, run by scripts/mongo-server (which also builds it, and is what the tests use). */
async function startFerretDb(): Promise<LocalServer | undefined> {
  const env = { ...process.env, FERRETDB_STATE_DIR: FERRETDB_DATA_DIR };
  // Another process on this checkout (the sandbox, while the CLI runs) may hold it already: share it.
  const running = spawnSync(MONGO_SERVER, ['uri'], { env, encoding: 'utf8' });
  if (running.status === 0) {
    log.debug('using the FerretDB another process started');
    return { uri: running.stdout.trim(), stop: async () => {} };
  }
  const port = await freePort();
  const where = relative(process.cwd(), FERRETDB_DATA_DIR) || FERRETDB_DATA_DIR;
  log.info(`No MongoDB found: starting the project's FerretDB on 127.0.0.1:${port}, data in ${where}.`);
  // Its stdin is our pipe: when this process ends, even by SIGKILL, the pipe closes and the server stops.
  const child = spawn(MONGO_SERVER, ['run', '--port', String(port), '--dir', join(FERRETDB_DATA_DIR, 'sqlite')], {
    env,
    stdio: ['pipe', 'ignore', 'inherit'],
    // Its own process group: Ctrl-C reaches only us, and we stop it after the work in progress is handed back.
    detached: true,
  });
  // Nor does it keep this process alive: one that ends without stopping it closes the pipe all the same.
  child.unref();
  (child.stdin as unknown as { unref(): void } | null)?.unref();
  try {
    await untilListening(port, child);
  } catch (error) {
    log.debug({ err: error }, 'FerretDB could not start');
    child.kill('SIGKILL');
    return undefined;
  }
  return { uri: `mongodb://127.0.0.1:${port}/`, stop: () => stopChild(child) };
}

/** A port nothing listens on now (the kernel picks it), for a server that cannot be told to take any. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** Resolves once the port takes connections; rejects if the child exits first (no Go, a failed build). */
function untilListening(port: number, child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    const exited = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`scripts/mongo-server run exited with ${code}`));
    };
    child.once('exit', exited);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const attempt = () => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        child.off('exit', exited);
        resolve();
      });
      socket.once('error', () => {
        if (Date.now() > deadline) return reject(new Error(`FerretDB did not listen on ${port}`));
        timer = setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(force);
}
