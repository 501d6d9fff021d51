/**
 * A client process for the hostile-answer tests: it calls GetProduct over
 * REST for each product id given (see hostile-answer-server.ts), one after
 * the other, and prints one JSON line with what each call gave and the
 * process's memory: RSS before each call (after a GC), the highest RSS
 * sampled during it, and the process's peak RSS (`maxRSS`) at the end. Run
 * with `--expose-gc` and a heap cap by the test, so a client that reads
 * without bound dies or shows it rather than taking the machine.
 *
 * Usage: node <source flags> --expose-gc rest-answer-child.ts <baseUrl> <id>...
 */
import { createRestTransport, VisionError } from 'vision-kit';
import { methodRef } from '../../transport/support/behaviour-suite.js';

/** What one call gave. */
export interface ChildCase {
  readonly id: string;
  readonly code: number | 'ok';
  readonly httpStatus: number | undefined;
  readonly message: string;
  readonly ms: number;
  /** RSS before the call, after a GC, in bytes. */
  readonly rssBefore: number;
  /** Highest RSS sampled every 5 ms during the call, in bytes. */
  readonly rssPeak: number;
}

/** The child's report. */
export interface ChildReport {
  readonly cases: ChildCase[];
  /** The process's peak RSS over its life, in bytes. */
  readonly maxRss: number;
}

const [baseUrl, ...ids] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const transport = createRestTransport({ baseUrl: baseUrl! });
const ref = methodRef('google.cloud.vision.v1p4beta1.ProductSearch', 'GetProduct');
const cases: ChildCase[] = [];
// Warm up: everything the call path loads is loaded before the first measure.
await transport.unary(ref, { name: 'projects/p/locations/us-west1/products/ok' });
for (const id of ids) {
  gc();
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  let code: ChildCase['code'] = 'ok';
  let httpStatus: number | undefined;
  let message = '';
  try {
    const product = (await transport.unary(
      ref,
      { name: `projects/p/locations/us-west1/products/${id}` },
      { retry: false, timeout: 600_000 },
    )) as {
      description?: string;
    };
    message = `resolved with a description of ${product.description?.length ?? 0} characters`;
  } catch (err) {
    code = err instanceof VisionError ? err.code : -1;
    httpStatus = err instanceof VisionError ? err.httpStatus : undefined;
    message = err instanceof Error ? err.message.slice(0, 400) : String(err);
  }
  const ms = performance.now() - started;
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  cases.push({ id, code, httpStatus, message, ms, rssBefore, rssPeak });
}
transport.close();
const report: ChildReport = { cases, maxRss: process.resourceUsage().maxRSS * 1024 };
process.stdout.write(`${JSON.stringify(report)}\n`);
