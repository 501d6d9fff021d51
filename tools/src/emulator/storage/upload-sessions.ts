/**
 * The resumable upload sessions of the storage API: open ones (each staging
 * its bytes in a file of `DATA_DIR/tmp`, opened only while a chunk is
 * written), and ended ones, remembered so that a late request learns what
 * happened (a finished upload answers its object, a cancelled one 499).
 *
 * Policy. Cloud Storage keeps a session for a week
 * (https://cloud.google.com/storage/docs/resumable-uploads: "A resumable
 * upload must be completed within a week of being initiated"); so does the
 * emulator, counting from the start. A live session is never evicted for
 * another: past `maxOpen` open sessions a new one is refused with 429
 * RESOURCE_EXHAUSTED until one finishes, is cancelled or expires. Expired
 * sessions are dropped (their staging files removed) when the next session
 * starts or when one is asked for. Sessions do not survive a restart (the
 * staging folder is emptied at start). Ended sessions are remembered for the
 * same week, the newest `maxOpen` of them.
 */
import { createHash, type Hash, randomUUID } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { Code, VisionError } from 'vision-kit';
import { tempPath } from './atomic-file.js';
import type { GcsLocation } from './gcs-names.js';
import type { ObjectInfo } from './object-store.js';

/** Open sessions kept at once by default. */
export const MAX_UPLOAD_SESSIONS = 1000;

/** How long a session lives after it started (Cloud Storage's week). */
export const UPLOAD_SESSION_TTL_MS = 7 * 24 * 3600_000;

/** What an open session is doing: a chunk request is in one of the last three. */
export type SessionPhase = 'idle' | 'receiving' | 'writing' | 'committing';

/** An open resumable upload. */
export interface UploadSession {
  readonly id: string;
  readonly loc: GcsLocation;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** The staging file. */
  readonly tmp: string;
  readonly startedAt: number;
  readonly md5: Hash;
  crc: number;
  /** Bytes staged so far. */
  received: number;
  /** The object's size once declared (X-Upload-Content-Length, or a chunk's total); it may not change. */
  total: number | undefined;
  phase: SessionPhase;
  /** The disk work of the current `writing` / `committing` phase. */
  diskWork: Promise<unknown> | undefined;
  /** Set when the session is cancelled while a chunk is being received. */
  cancelled: boolean;
}

/** How a session ended. */
export type EndedSession =
  | { readonly kind: 'done'; readonly at: number; readonly object: ObjectInfo }
  | { readonly kind: 'cancelled'; readonly at: number };

/** What a session id names now. */
export type SessionLookup = { readonly kind: 'open'; readonly session: UploadSession } | EndedSession;

/** Options of {@link UploadSessions}. */
export interface UploadSessionsOptions {
  /** Where staging files go (`ObjectStore.tmpDir`). */
  readonly tmpDir: string;
  /** Open sessions at most (default {@link MAX_UPLOAD_SESSIONS}). */
  readonly maxOpen?: number;
  /** Lifetime of a session from its start (default {@link UPLOAD_SESSION_TTL_MS}). */
  readonly ttlMs?: number;
  /** The clock (ms since the epoch); default `Date.now`. */
  readonly now?: () => number;
}

/** The table of resumable upload sessions. */
export class UploadSessions {
  private readonly open = new Map<string, UploadSession>();
  private readonly ended = new Map<string, EndedSession>();
  private readonly maxOpen: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: UploadSessionsOptions) {
    this.maxOpen = options.maxOpen ?? MAX_UPLOAD_SESSIONS;
    this.ttlMs = options.ttlMs ?? UPLOAD_SESSION_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** Opens a session with an empty staging file; RESOURCE_EXHAUSTED (429) when `maxOpen` are open. */
  async start(init: {
    loc: GcsLocation;
    contentType: string;
    metadata: Record<string, string>;
    total: number | undefined;
  }): Promise<UploadSession> {
    await this.expire();
    if (this.open.size >= this.maxOpen)
      throw new VisionError(
        Code.RESOURCE_EXHAUSTED,
        `${this.open.size} unfinished resumable uploads are open, the emulator's limit: finish or cancel one (DELETE its session URI), or wait for one to expire a week after it started`,
        { httpStatus: 429 },
      );
    const tmp = tempPath(this.options.tmpDir);
    await (await open(tmp, 'wx', 0o644)).close();
    const session: UploadSession = {
      id: randomUUID(),
      ...init,
      tmp,
      startedAt: this.now(),
      md5: createHash('md5'),
      crc: 0,
      received: 0,
      phase: 'idle',
      diskWork: undefined,
      cancelled: false,
    };
    this.open.set(session.id, session);
    return session;
  }

  /** What `id` names: an open session, how an ended one ended, or undefined (never given, expired or forgotten). */
  async lookup(id: string): Promise<SessionLookup | undefined> {
    await this.expire();
    const session = this.open.get(id);
    if (session) return { kind: 'open', session };
    return this.ended.get(id);
  }

  /** Records the object a session created. */
  finish(session: UploadSession, object: ObjectInfo): void {
    this.end(session, { kind: 'done', at: this.now(), object });
  }

  /** Cancels a session: its staging file is removed, and later requests learn it was cancelled. */
  async cancel(session: UploadSession): Promise<void> {
    session.cancelled = true;
    this.end(session, { kind: 'cancelled', at: this.now() });
    await rm(session.tmp, { force: true });
  }

  /** Forgets a session whose upload failed for good (its staging file removed). */
  async drop(session: UploadSession): Promise<void> {
    this.open.delete(session.id);
    await rm(session.tmp, { force: true });
  }

  /** Drops every open session (the emulator stops). */
  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map((s) => this.drop(s)));
  }

  private end(session: UploadSession, how: EndedSession): void {
    this.open.delete(session.id);
    this.ended.set(session.id, how);
    for (const id of this.ended.keys()) {
      if (this.ended.size <= this.maxOpen) break;
      this.ended.delete(id);
    }
  }

  /** Drops open sessions a week old (unless a chunk is in flight) and forgets ended ones as old. */
  private async expire(): Promise<void> {
    const before = this.now() - this.ttlMs;
    // Both maps are in start / end order.
    for (const s of [...this.open.values()]) {
      if (s.startedAt > before) break;
      if (s.phase === 'idle') await this.drop(s);
    }
    for (const [id, e] of this.ended) {
      if (e.at > before) break;
      this.ended.delete(id);
    }
  }
}
