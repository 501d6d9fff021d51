/**
 * An fsynced append-only log of JSON records with snapshots: the emulator's
 * durability. `append` resolves once the record is on disk (concurrent
 * appends share one fsync); `open` recovers the last snapshot and the
 * records after it, dropping a torn last line that a crash left behind;
 * `compact` replaces log and snapshot atomically (a snapshot holds the
 * sequence number of the last record it includes, so a crash between the
 * snapshot's rename and the log's truncation replays nothing twice).
 */
import { type FileHandle, open, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, writeFileAtomic } from '../storage/atomic-file.js';

/** What {@link Journal.open} recovered. */
export interface Recovered<S, R> {
  readonly snapshot: S | undefined;
  readonly records: R[];
  /** Bytes of a torn last line that were dropped (0 after a clean stop). */
  readonly droppedBytes: number;
}

interface Line<R> {
  readonly seq: number;
  readonly r: R;
}

interface Pending {
  readonly bytes?: Buffer;
  readonly compact?: () => Promise<void>;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** A durable log under `dir` (`journal.jsonl`, `snapshot.json`). */
export class Journal<S, R> {
  private readonly logPath: string;
  private readonly snapPath: string;
  private fh: FileHandle | undefined;
  private seq = 0;
  /** Sequence number of the last record the snapshot on disk holds. */
  private snapSeq = 0;
  private queue: Pending[] = [];
  private flushing = false;
  private bytes = 0;
  private failed: unknown;

  /** `tmpDir` stages snapshot writes (same file system as `dir`). */
  constructor(
    readonly dir: string,
    private readonly tmpDir: string,
  ) {
    this.logPath = join(dir, 'journal.jsonl');
    this.snapPath = join(dir, 'snapshot.json');
  }

  /** Size of the log in bytes (what {@link compact} would reclaim). */
  get size(): number {
    return this.bytes;
  }

  /**
   * True when the log holds (or will hold, once queued appends are written)
   * anything the snapshot lacks, and no write failed: what a clean stop
   * compacts so that the next {@link open} replays nothing.
   */
  get needsCompaction(): boolean {
    return this.failed === undefined && (this.seq > this.snapSeq || this.bytes > 0);
  }

  /** Recovers snapshot and records, truncating a torn tail, and opens the log for appending. */
  async open(): Promise<Recovered<S, R>> {
    let snapshot: S | undefined;
    let snapSeq = 0;
    try {
      const snap = JSON.parse(await readFile(this.snapPath, 'utf8')) as { seq: number; state: S };
      snapshot = snap.state;
      snapSeq = snap.seq;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw new Error(`cannot read ${this.snapPath}: ${(err as Error).message}`);
    }
    let text = '';
    try {
      text = await readFile(this.logPath, 'utf8');
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
    }
    const records: R[] = [];
    let good = 0;
    let seq = snapSeq;
    let pos = 0;
    while (pos < text.length) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) break;
      let line: Line<R>;
      try {
        line = JSON.parse(text.slice(pos, nl)) as Line<R>;
      } catch {
        // A complete line that does not parse is corruption, not a torn tail: refuse to guess.
        throw new Error(`${this.logPath} is corrupt at character ${pos}; move it away to start over`);
      }
      if (line.seq > snapSeq) records.push(line.r);
      seq = Math.max(seq, line.seq);
      pos = nl + 1;
    }
    good = Buffer.byteLength(text.slice(0, pos));
    const total = Buffer.byteLength(text);
    if (good < total) {
      await truncate(this.logPath, good);
    }
    this.seq = seq;
    this.snapSeq = snapSeq;
    this.fh = await open(this.logPath, 'a');
    await this.fh.sync();
    await fsyncDir(this.dir);
    this.bytes = good;
    return { snapshot, records, droppedBytes: total - good };
  }

  /** Appends one record; resolves once it is durable. */
  append(record: R): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    const line: Line<R> = { seq: ++this.seq, r: record };
    const bytes = Buffer.from(`${JSON.stringify(line)}\n`, 'utf8');
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ bytes, resolve, reject });
      void this.flush();
    });
  }

  /**
   * Replaces the log by a snapshot of the state as of now. `state` is taken
   * synchronously (it must include every record appended so far).
   */
  compact(state: S): Promise<void> {
    const seq = this.seq;
    const text = JSON.stringify({ seq, state });
    return new Promise<void>((resolve, reject) => {
      this.queue.push({
        compact: async () => {
          await writeFileAtomic(this.snapPath, text, this.tmpDir);
          this.snapSeq = seq;
          await this.fh!.truncate(0);
          await this.fh!.sync();
          this.bytes = 0;
        },
        resolve,
        reject,
      });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing || !this.fh) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0]!;
        if (head.compact) {
          this.queue.shift();
          try {
            await head.compact();
            head.resolve();
          } catch (err) {
            head.reject(err);
          }
          continue;
        }
        const batch: Pending[] = [];
        while (this.queue.length > 0 && this.queue[0]!.bytes) batch.push(this.queue.shift()!);
        try {
          const data = Buffer.concat(batch.map((p) => p.bytes!));
          await this.fh.write(data);
          await this.fh.datasync();
          this.bytes += data.length;
          for (const p of batch) p.resolve();
        } catch (err) {
          this.failed = err;
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Waits for queued writes, then closes the log. */
  async close(): Promise<void> {
    while (this.flushing || this.queue.length > 0) {
      await new Promise((r) => setTimeout(r, 1));
      if (!this.flushing && this.queue.length > 0) void this.flush();
    }
    await this.fh?.close();
    this.fh = undefined;
  }
}
