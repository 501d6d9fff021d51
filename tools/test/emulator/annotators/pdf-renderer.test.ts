// The PDF renderer's worker threads: a time budget per open and per page, abort and close that end a render at
// once, a fresh worker after one was stopped, and a main thread that stays free while a page draws.
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Code, VisionError } from 'vision-kit';
import { PdfRenderer } from '../../../src/emulator/annotators/pdf-renderer.js';
import { fanOutPdf } from '../../reliability/support/fan-out-pdf.js';
import { colorPagesPdf } from './pdf-builder.js';

/** 4^7 = 16,384 full-page fills: tens of seconds of drawing. */
const HOSTILE = fanOutPdf({ levels: 7 });

async function rejection(p: Promise<unknown>): Promise<VisionError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof VisionError, String(err));
    return err;
  }
  assert.fail('expected a rejection');
}

describe('annotators: the PDF renderer (worker threads, a time budget)', function () {
  this.timeout(30_000);
  let renderer: PdfRenderer;
  afterEach(() => renderer.close());

  it('renders an ordinary page in a worker', async () => {
    renderer = new PdfRenderer({ budgetMs: 10_000 });
    const file = await renderer.open(colorPagesPdf([[0, 1, 0]]), 'f');
    assert.equal(file.totalPages, 1);
    const page = await file.render(0, 'f page 1');
    assert.equal(page.kind, 'pixels');
    assert.ok(page.kind === 'pixels' && page.width === 417 && page.height === 313, JSON.stringify({ ...page, data: undefined }));
    file.close();
  });

  it('stops a page past its budget (DEADLINE_EXCEEDED naming the budget) while the main thread stays free, then opens the file again in a fresh worker', async () => {
    renderer = new PdfRenderer({ budgetMs: 800 });
    const file = await renderer.open(HOSTILE, 'hostile');
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const t0 = performance.now();
    const err = await rejection(file.render(0, 'hostile page 1'));
    const took = performance.now() - t0;
    lag.disable();
    assert.equal(err.code, Code.DEADLINE_EXCEEDED);
    assert.equal(
      err.rawMessage,
      "hostile page 1: rendering the page took longer than the budget of 800 ms (the emulator's --render-budget-ms); it was stopped",
    );
    assert.ok(took >= 800 && took < 1500, `${Math.round(took)} ms`);
    assert.ok(lag.max / 1e6 < 200, `event loop delay up to ${Math.round(lag.max / 1e6)} ms`);
    // The same file again: a new worker opens it, and the page is stopped again.
    assert.equal((await rejection(file.render(0, 'hostile page 1'))).code, Code.DEADLINE_EXCEEDED);
    file.close();
    const ok = await renderer.open(colorPagesPdf([[1, 0, 0]]), 'next');
    assert.equal((await ok.render(0, 'next page 1')).kind, 'pixels');
    ok.close();
  });

  it('ends a render when its signal aborts (with the signal’s error) and when the renderer closes (UNAVAILABLE)', async () => {
    renderer = new PdfRenderer({ budgetMs: 60_000 });
    const file = await renderer.open(HOSTILE, 'hostile');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new VisionError(Code.CANCELLED, 'the client went away')), 300);
    const t0 = performance.now();
    const aborted = await rejection(file.render(0, 'hostile page 1', controller.signal));
    assert.equal(aborted.rawMessage, 'the client went away');
    assert.ok(performance.now() - t0 < 800, `${Math.round(performance.now() - t0)} ms`);

    const again = await renderer.open(HOSTILE, 'again'); // a fresh worker, started and holding the file
    const pending = rejection(again.render(0, 'again page 1'));
    await new Promise((r) => setTimeout(r, 300));
    const t1 = performance.now();
    await renderer.close();
    const closed = await pending;
    assert.equal(closed.code, Code.UNAVAILABLE, closed.message);
    assert.ok(performance.now() - t1 < 200);
    assert.equal((await rejection(renderer.open(colorPagesPdf([[1, 0, 0]]), 'late'))).code, Code.UNAVAILABLE);
  });

  it('renders other files beside a slow one (two workers), and queues a third file until one is free', async () => {
    renderer = new PdfRenderer({ budgetMs: 60_000, workers: 2 });
    const slow = await renderer.open(HOSTILE, 'slow');
    let slowSettled = false;
    const slowPage = rejection(slow.render(0, 'slow page 1')).finally(() => {
      slowSettled = true;
    });
    const quick = await renderer.open(colorPagesPdf([[0, 0, 1]]), 'quick');
    assert.equal((await quick.render(0, 'quick page 1')).kind, 'pixels');
    assert.equal(slowSettled, false, 'the quick file was rendered while the slow page was still drawing');
    let thirdOpened = false;
    const third = renderer.open(colorPagesPdf([[0, 0, 1]]), 'third').then((f) => {
      thirdOpened = true;
      return f;
    });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(thirdOpened, false, 'both workers are leased: the third file waits');
    quick.close(); // frees one
    (await third).close();
    await renderer.close();
    assert.equal((await slowPage).code, Code.UNAVAILABLE);
  });

  it('refuses a budget or a worker count that is not positive', () => {
    assert.throws(() => new PdfRenderer({ budgetMs: 0 }), /budgetMs must be a positive number/);
    assert.throws(() => new PdfRenderer({ workers: 0 }), /workers must be a whole number/);
    renderer = new PdfRenderer();
  });
});
