/**
 * Image decoding gets its own bounded concurrency. sharp decodes on Node's
 * thread pool (libuv's, `UV_THREADPOOL_SIZE` threads, 4 by default), the
 * same threads every file read and write of the emulator runs on — storage
 * reads, the journal's appends and fsyncs. With 128 decodes queued ahead of
 * them, a storage read waited 7 s and a product create 1.9 s. So at most
 * {@link IMAGE_JOBS} decodes run at once (half the pool) and file I/O
 * always finds a free thread; the others wait here, first come first
 * served, and one whose signal has aborted by its turn is skipped. The
 * limit is process-wide, as the pool is.
 */
import { abortError } from './annotation-error.js';

/** Threads in Node's libuv pool (read once: the pool's size is fixed when it starts). */
function threadPoolSize(): number {
  const n = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n > 0 ? n : 4;
}

/**
 * Decodes run at once, process-wide: half of Node's thread pool (2 of the
 * default 4), at least one. Fewer would leave cores idle on small images
 * (one at a time decoded 64 concurrent thumbnails about 1.5 times slower).
 */
export const IMAGE_JOBS = Math.max(1, Math.floor(threadPoolSize() / 2));

let running = 0;
const line: (() => void)[] = [];

/**
 * Runs `job` (sharp work) when fewer than {@link IMAGE_JOBS} are running;
 * rejects with the signal's error instead of running it when `signal` has
 * aborted by its turn. (Waiting adds no listener to the signal: the 16
 * images of one call share it.)
 */
export async function runImageJob<T>(job: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) throw abortError(signal);
  if (running >= IMAGE_JOBS || line.length > 0) await new Promise<void>((resolve) => line.push(resolve));
  else running++;
  try {
    if (signal?.aborted) throw abortError(signal);
    return await job();
  } finally {
    const next = line.shift();
    if (next)
      next(); // the slot passes straight to the next in line
    else running--;
  }
}

/** Decodes running and waiting now (for tests and stats). */
export function imageJobCounts(): { running: number; waiting: number } {
  return { running, waiting: line.length };
}
