/**
 * One emulator per data dir, held by a lock that the operating system drops
 * when its holder dies. The holder listens on a Unix domain socket,
 * `DATA_DIR/lock`; the kernel closes it with the process, however it ends
 * (SIGKILL included), so no pid is ever trusted alone — a zombie, or a new
 * process that got the old pid again (PID 1 in every container run), holds
 * nothing.
 *
 * A starter binds the socket path: that is atomic (one of two racing binds
 * gets EADDRINUSE). On EADDRINUSE it connects: an accepted connection means
 * a live emulator holds the dir (it answers with its pid, for the message);
 * a refused one means the file is left over from a dead holder, which the
 * starter removes and binds again. Removals are serialised (on Linux by a
 * socket in the abstract namespace, which has no file and dies with its
 * holder; elsewhere by moving the file aside and putting back, with link,
 * which never replaces, a socket that is not the one probed), so two starters
 * that find the same stale file cannot both win: inode numbers are reused at
 * once, so a file's identity alone does not tell the dead socket from a new
 * one.
 *
 * A socket address holds at most 107 bytes on Linux (103 elsewhere), and
 * Node silently cuts longer ones. When `DATA_DIR/lock` is longer, the socket
 * is `TMPDIR/vision-kit-<hash of the real path of DATA_DIR>.lock` instead:
 * the same dir reached by any path gets the same lock, but only processes
 * that share that temp folder see it (a data dir shared between containers
 * needs a path short enough for the socket to live in it). On Windows the
 * lock is a named pipe keyed the same way. A plain `lock` file (the pid file
 * of earlier versions) is taken over as stale. The socket is removed when the
 * holder releases the lock (`stop()`, SIGTERM, SIGINT).
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants, linkSync, lstatSync, realpathSync, renameSync, type Stats, unlinkSync } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errnoOf, errnoWords } from '../fs-errors.js';
import { EmulatorOptionError, fileInTheWay } from './option-error.js';

/** The data dir is in use by another running emulator. */
export class DataDirLockedError extends Error {
  /** The holder's pid as it reported it (in its own PID namespace), when it answered. */
  readonly pid: number | undefined;

  constructor(dir: string, pid?: number) {
    super(
      `the data dir ${dir} is in use by another emulator (${pid === undefined ? 'its pid did not answer' : `pid ${pid}`}); stop it or pick another --data-dir`,
    );
    this.name = 'DataDirLockedError';
    this.pid = pid;
  }
}

/** The lock could not be taken for a reason other than a live holder (permissions, a path too long). */
export class DataDirLockError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DataDirLockError';
  }
}

/** Longest socket path this platform's `sun_path` holds (without its terminating NUL). */
export const MAX_SOCKET_PATH_BYTES = process.platform === 'linux' ? 107 : 103;

/** How long a starter waits for a live holder to say its pid. */
const PID_ANSWER_MS = 1000;

function keyOf(dir: string): string {
  return createHash('sha256').update(realpathSync(dir)).digest('hex').slice(0, 24);
}

/**
 * Makes the data dir `dir` (an absolute path) and its parents, unless it is
 * there. Rejects with {@link EmulatorOptionError} (option `dataDir`) when it
 * cannot be a data dir: it is a file, a file stands where one of its parents
 * should be, it cannot be made, or it is not writable.
 */
export async function makeDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    const file = await fileInTheWay(dir);
    const why =
      file === dir
        ? 'is a file, not a folder'
        : file
          ? `cannot be made: ${file} is a file, not a folder`
          : `cannot be made (${errnoWords(err)})`;
    throw new EmulatorOptionError('dataDir', `the data dir ${dir} ${why}`, { cause: err });
  }
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new EmulatorOptionError('dataDir', `the data dir ${dir} is not writable (${errnoWords(err)})`, { cause: err });
  }
}

/** Where the lock of `dir` (an existing folder) lives: `dir/lock`, or a short path when that is too long for a socket. */
export function lockSocketPath(dir: string): string {
  if (process.platform === 'win32') return `\\\\.\\pipe\\vision-kit-${keyOf(dir)}`;
  const inDir = join(dir, 'lock');
  if (Buffer.byteLength(inDir) <= MAX_SOCKET_PATH_BYTES) return inDir;
  const short = join(tmpdir(), `vision-kit-${keyOf(dir)}.lock`);
  if (Buffer.byteLength(short) > MAX_SOCKET_PATH_BYTES)
    throw new DataDirLockError(
      `cannot lock ${dir}: both ${inDir} and ${short} are longer than a socket address (${MAX_SOCKET_PATH_BYTES} bytes); use a shorter --data-dir or TMPDIR`,
    );
  return short;
}

/** Binds `path`; undefined when something is already there. */
function bind(path: string): Promise<net.Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end(`${JSON.stringify({ pid: process.pid })}\n`);
    });
    server.once('error', (err) => (errnoOf(err) === 'EADDRINUSE' ? resolve(undefined) : reject(err)));
    server.listen(path, () => {
      server.removeAllListeners('error');
      server.on('error', () => undefined);
      server.unref();
      resolve(server);
    });
  });
}

type Probe = { readonly live: true; readonly pid?: number } | { readonly live: false; readonly file?: Stats };

/** Is someone listening at `path`? (`file`: what was there when the connect was refused.) */
function probe(path: string): Promise<Probe> {
  let file: Stats | undefined;
  if (process.platform !== 'win32') {
    try {
      file = lstatSync(path);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return Promise.resolve({ live: false });
      throw err;
    }
  }
  return new Promise((resolve, reject) => {
    const socket = net.connect(path);
    let text = '';
    let connected = false;
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const pid = Number(/"pid":(\d+)/.exec(text)?.[1]);
      resolve(Number.isInteger(pid) && pid > 0 ? { live: true, pid } : { live: true });
    };
    const timer = setTimeout(done, PID_ANSWER_MS);
    socket.setEncoding('utf8');
    socket.on('connect', () => (connected = true));
    socket.on('data', (d: string) => {
      text += d;
      if (text.includes('\n')) done();
    });
    socket.on('end', done);
    socket.on('error', (err) => {
      if (connected) return done();
      clearTimeout(timer);
      const code = errnoOf(err);
      // Nobody listens on that file (a dead holder's socket, or a plain file).
      if (code === 'ECONNREFUSED' || code === 'ENOTSOCK' || code === 'ENOENT') resolve(file ? { live: false, file } : { live: false });
      // A full backlog: someone listens.
      else if (code === 'EAGAIN') resolve({ live: true });
      else reject(new DataDirLockError(`cannot tell whether ${path} is held: ${err.message}`, { cause: err }));
    });
  });
}

/**
 * Removes the dead socket file at `path` (probed as `dead`), and only that
 * file. On Linux the removal is serialised by a second socket in the abstract
 * namespace (no file: the kernel drops it with its holder), so no starter can
 * remove a socket another one has just bound; resolves false when another
 * starter holds that and the caller should look again.
 */
async function removeStale(path: string, key: string, dead: Stats): Promise<boolean> {
  if (process.platform === 'linux') {
    const mutex = await bind(`\0vision-kit-takeover-${key}`);
    if (!mutex) return false;
    try {
      const seen = await probe(path);
      if (!seen.live && seen.file) unlinkSync(path);
    } finally {
      mutex.close();
    }
    return true;
  }
  // Elsewhere: move the file aside, and put it back (link never replaces) if it is not the one probed.
  const aside = `${path}.stale-${randomBytes(6).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return true;
    throw err;
  }
  const moved = lstatSync(aside);
  if (moved.ino !== dead.ino || moved.dev !== dead.dev || moved.birthtimeMs !== dead.birthtimeMs) {
    try {
      linkSync(aside, path);
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST') throw err;
    }
  }
  unlinkSync(aside);
  return true;
}

/**
 * Takes the lock of `dir` (an existing folder); resolves to its release
 * function. Rejects with {@link DataDirLockedError} while a live emulator
 * holds it.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = lockSocketPath(dir);
  const key = keyOf(dir);
  for (let attempt = 0; attempt < 100; attempt++) {
    const server = await bind(path);
    if (server) return releaser(server, path);
    const seen = await probe(path);
    if (seen.live) throw new DataDirLockedError(dir, seen.pid);
    // A dead holder's file: remove it and bind again; gone meanwhile (or a Windows pipe closing): bind again.
    if (!seen.file || !(await removeStale(path, key, seen.file))) await new Promise((r) => setTimeout(r, 5));
  }
  throw new DataDirLockError(`cannot take the lock of ${dir} (${path}): it kept changing hands`);
}

function releaser(server: net.Server, path: string): () => Promise<void> {
  const mine = process.platform === 'win32' ? undefined : lstatSync(path);
  let released: Promise<void> | undefined;
  return () =>
    (released ??= new Promise<void>((resolve) => {
      // Closing unlinks the path; keep whatever else may have been put there since (never expected).
      let keep: string | undefined;
      if (mine) {
        try {
          const now = lstatSync(path);
          if (now.ino !== mine.ino || now.dev !== mine.dev) {
            keep = `${path}.keep-${randomBytes(6).toString('hex')}`;
            linkSync(path, keep);
          }
        } catch {
          keep = undefined;
        }
      }
      server.close(() => {
        if (keep) {
          try {
            renameSync(keep, path);
          } catch {
            // nothing more to do
          }
        }
        resolve();
      });
    }));
}
