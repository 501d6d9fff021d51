/**
 * PDF files opened and rendered off the main thread, within a time budget.
 *
 * mupdf (WASM) runs in worker threads (`pdf-worker.ts`), at most
 * {@link PDF_RENDER_WORKERS} of them; a file leases one worker from opening
 * to closing, and other files wait for a free one. Opening a file and
 * rendering each page must each answer within `budgetMs` (default
 * {@link DEFAULT_RENDER_BUDGET_MS}); past it the worker is terminated
 * (`worker.terminate()` interrupts WASM as well) and the caller gets
 * DEADLINE_EXCEEDED naming the budget, so a page that would draw for
 * minutes costs that page only: the next page of the same file opens it
 * again in a fresh worker. An aborted signal terminates the worker too, and
 * `close()` terminates them all — the emulator's stop does not wait for a
 * render. Workers are started on first use and kept (unreferenced while
 * idle, so they never keep a process alive); one that was stopped is
 * replaced right away, since loading mupdf takes a few hundred ms.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { Code, VisionError } from 'vision-kit';
import { abortError, invalidInput } from './annotation-error.js';
import { DEFAULT_RENDER_BUDGET_MS, PDF_RENDER_WORKERS } from './limits.js';
import type { PdfWorkerReply, PdfWorkerRequest } from './pdf-worker.js';
import type { RasterSource } from './raster.js';

/** How long a new worker may take to load mupdf. */
const WORKER_START_MS = 30_000;

/** Options of {@link PdfRenderer}. */
export interface PdfRendererOptions {
  /** Time opening a file or rendering one page may take, in ms; default {@link DEFAULT_RENDER_BUDGET_MS}. */
  readonly budgetMs?: number;
  /** Worker threads at most (files rendered at once); default {@link PDF_RENDER_WORKERS}. */
  readonly workers?: number;
}

/** An open PDF: its page count and a renderer per page. Call `close` when done. */
export interface PdfFile {
  readonly totalPages: number;
  /** Renders page `index` (0-based) to RGB pixels at 150 dpi, the longer side at most 2,000 px. */
  render(index: number, label: string, signal?: AbortSignal): Promise<RasterSource>;
  /** Gives the worker back (frees mupdf's copy of the file). */
  close(): void;
}

type Answer = Extract<PdfWorkerReply, { id: number }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = WithoutId<PdfWorkerRequest>;

/** Where the worker's code is: next to this module in the sources (TypeScript), at the top of dist/ when bundled. */
function workerEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'pdf-worker.js'), join(here, '..', 'pdf-worker.js'), join(here, 'pdf-worker.ts')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new VisionError(Code.INTERNAL, `the PDF worker is missing (looked for ${candidates.join(', ')})`);
  return found;
}

function startWorker(): Worker {
  const entry = workerEntry();
  if (!entry.endsWith('.ts')) return new Worker(entry);
  // Running from the sources under tsx: Node 20 does not apply --import hooks to a
  // worker's entry module, so the worker registers tsx itself before importing it.
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); });`;
  return new Worker(code, { eval: true });
}

/** One worker thread and its outstanding requests. */
class RenderWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (answer: Answer | Error) => void>();
  private nextId = 1;
  private died = false;
  private failed: (err: Error) => void = () => {};
  /** True once mupdf was loaded (a worker that never started is not replaced). */
  started = false;
  /** Resolves once mupdf is loaded in the worker. */
  readonly ready: Promise<void>;

  constructor(private readonly onDeath: (w: RenderWorker) => void) {
    this.worker = startWorker();
    this.worker.unref();
    let started: () => void = () => {};
    this.ready = new Promise<void>((resolve, reject) => {
      started = resolve;
      this.failed = reject;
    });
    this.ready.catch(() => undefined);
    this.worker.on('message', (m: PdfWorkerReply) => {
      if ('ready' in m) {
        this.started = true;
        return started();
      }
      const settle = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) this.worker.unref();
      settle?.(m);
    });
    this.worker.on('error', (err: Error) => this.die(err));
    this.worker.on('exit', (code) => this.die(new Error(`the renderer stopped (exit code ${code})`)));
  }

  get dead(): boolean {
    return this.died;
  }

  /** Sends one request; rejects with an Error when the worker dies first. */
  request(message: Request): Promise<Answer> {
    if (this.died) return Promise.reject(new Error('the renderer stopped'));
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, (a) => (a instanceof Error ? reject(a) : resolve(a)));
      this.worker.ref();
      this.worker.postMessage({ ...message, id });
    });
  }

  /** Terminates the thread (interrupting any render) and fails what is outstanding. */
  kill(reason: Error): void {
    if (this.died) return;
    void this.worker.terminate();
    this.die(reason);
  }

  private die(reason: Error): void {
    if (this.died) return;
    this.died = true;
    this.failed(reason);
    this.worker.unref();
    const settles = [...this.pending.values()];
    this.pending.clear();
    for (const settle of settles) settle(reason);
    this.onDeath(this);
  }
}

/** Renders PDFs in worker threads within a time budget; see the module comment. */
export class PdfRenderer {
  /** The time budget of opening a file or rendering a page, in ms. */
  readonly budgetMs: number;
  private readonly maxWorkers: number;
  private readonly workers = new Set<RenderWorker>();
  private readonly idle: RenderWorker[] = [];
  private readonly waiting: (() => void)[] = [];
  private starting = 0;
  private closed = false;

  constructor(options: PdfRendererOptions = {}) {
    this.budgetMs = options.budgetMs ?? DEFAULT_RENDER_BUDGET_MS;
    this.maxWorkers = options.workers ?? PDF_RENDER_WORKERS;
    if (!Number.isFinite(this.budgetMs) || this.budgetMs <= 0)
      throw new RangeError(`budgetMs must be a positive number (got ${this.budgetMs})`);
    if (!Number.isInteger(this.maxWorkers) || this.maxWorkers < 1)
      throw new RangeError(`workers must be a whole number ≥ 1 (got ${this.maxWorkers})`);
  }

  /**
   * Opens a PDF in a worker: INVALID_ARGUMENT naming `label` when it will not
   * open, is encrypted or has no pages; DEADLINE_EXCEEDED past the budget;
   * the signal's error when it aborts; UNAVAILABLE once the renderer is closed.
   */
  async open(bytes: Uint8Array, label: string, signal?: AbortSignal): Promise<PdfFile> {
    const { worker, totalPages } = await this.openIn(bytes, label, signal);
    let current: RenderWorker | undefined = worker;
    return {
      totalPages,
      render: async (index, pageLabel, pageSignal) => {
        if (!current || current.dead) current = (await this.openIn(bytes, pageLabel, pageSignal)).worker;
        const w = current;
        let answer: Answer;
        try {
          answer = await this.exchange(w, { op: 'render', index }, pageLabel, 'rendering the page', pageSignal);
        } finally {
          if (w.dead) current = undefined;
        }
        if (!answer.ok) throw invalidInput(pageLabel, `the PDF page could not be rendered (${answer.message})`);
        const { data, width, height } = answer;
        if (!data || !width || !height) throw invalidInput(pageLabel, 'the PDF page could not be rendered (no pixels)');
        return { kind: 'pixels', data, width, height };
      },
      close: () => {
        const w = current;
        current = undefined;
        if (!w || w.dead) return;
        w.request({ op: 'close' }).catch(() => undefined);
        this.release(w);
      },
    };
  }

  /** Terminates every worker (renders in progress fail) and refuses further work. */
  async close(): Promise<void> {
    this.closed = true;
    const closing = new VisionError(Code.UNAVAILABLE, 'the PDF renderer was closed (the emulator is stopping)');
    for (const w of [...this.workers]) w.kill(closing);
    for (const wake of this.waiting.splice(0)) wake();
  }

  private async openIn(
    bytes: Uint8Array,
    label: string,
    signal: AbortSignal | undefined,
  ): Promise<{ worker: RenderWorker; totalPages: number }> {
    const worker = await this.acquire(signal);
    let answer: Answer;
    try {
      answer = await this.exchange(worker, { op: 'open', bytes }, label, 'opening the PDF', signal);
    } catch (err) {
      this.release(worker);
      throw err;
    }
    if (!answer.ok || !answer.totalPages) {
      this.release(worker);
      throw invalidInput(label, `the PDF could not be opened (${answer.ok ? 'it has no pages' : answer.message})`);
    }
    return { worker, totalPages: answer.totalPages };
  }

  /** One request within the budget: past it, or when `signal` aborts, the worker is terminated. */
  private exchange(w: RenderWorker, message: Request, label: string, what: string, signal: AbortSignal | undefined): Promise<Answer> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<Answer>((resolve, reject) => {
      let done = false;
      const finish = (settle: () => void): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const timer = setTimeout(
        () =>
          finish(() => {
            const err = new VisionError(
              Code.DEADLINE_EXCEEDED,
              `${label}: ${what} took longer than the budget of ${this.budgetMs} ms (the emulator's --render-budget-ms); it was stopped`,
            );
            w.kill(err);
            reject(err);
          }),
        this.budgetMs,
      );
      const onAbort = (): void =>
        finish(() => {
          const err = abortError(signal!);
          w.kill(err);
          reject(err);
        });
      signal?.addEventListener('abort', onAbort, { once: true });
      w.request(message).then(
        (answer) => finish(() => resolve(answer)),
        (err: unknown) =>
          finish(() =>
            reject(
              err instanceof VisionError
                ? err
                : invalidInput(label, `${what} failed (${err instanceof Error ? err.message : String(err)})`, err),
            ),
          ),
      );
    });
  }

  private async acquire(signal: AbortSignal | undefined): Promise<RenderWorker> {
    for (;;) {
      if (signal?.aborted) throw abortError(signal);
      if (this.closed) throw new VisionError(Code.UNAVAILABLE, 'the PDF renderer was closed (the emulator is stopping)');
      const idle = this.idle.pop();
      if (idle) return idle;
      // A worker that is starting will be free soon: wait for it rather than start another.
      if (this.workers.size < this.maxWorkers && this.starting === 0) return this.spawn(signal);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal?.removeEventListener('abort', wake);
          const i = this.waiting.indexOf(wake);
          if (i >= 0) this.waiting.splice(i, 1);
          resolve();
        };
        this.waiting.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }

  private async spawn(signal: AbortSignal | undefined): Promise<RenderWorker> {
    const w = new RenderWorker((dead) => {
      this.workers.delete(dead);
      const i = this.idle.indexOf(dead);
      if (i >= 0) this.idle.splice(i, 1);
      this.waiting.shift()?.();
      // A worker stopped mid-render is replaced at once, so the next file does not wait for mupdf to load.
      if (dead.started && !this.closed && this.workers.size < this.maxWorkers) {
        this.spawn(undefined).then(
          (spare) => this.release(spare),
          () => undefined,
        );
      }
    });
    this.workers.add(w);
    this.starting++;
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => w.kill(abortError(signal!));
    try {
      signal?.addEventListener('abort', onAbort, { once: true });
      await Promise.race([
        w.ready,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`it did not start within ${WORKER_START_MS} ms`)), WORKER_START_MS);
        }),
      ]);
      return w;
    } catch (err) {
      w.kill(err instanceof Error ? err : new Error(String(err)));
      if (signal?.aborted) throw abortError(signal);
      if (err instanceof VisionError) throw err; // closed while it started
      throw new VisionError(Code.INTERNAL, `the PDF renderer could not start: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.starting--;
      this.waiting.shift()?.(); // a waiter may start a worker of its own now
    }
  }

  private release(w: RenderWorker): void {
    if (w.dead) return;
    if (this.closed) {
      w.kill(new Error('closed'));
      return;
    }
    this.idle.push(w);
    this.waiting.shift()?.();
  }
}

let shared: PdfRenderer | undefined;

/** The process-wide renderer with the default budget, for callers that bring none (the annotators used directly). */
export function defaultPdfRenderer(): PdfRenderer {
  shared ??= new PdfRenderer();
  return shared;
}

/** Opens a PDF with `renderer` (default {@link defaultPdfRenderer}); see {@link PdfRenderer.open}. */
export function openPdf(bytes: Uint8Array, label: string, renderer = defaultPdfRenderer(), signal?: AbortSignal): Promise<PdfFile> {
  return renderer.open(bytes, label, signal);
}
