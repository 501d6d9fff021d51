/**
 * A second process for the "resume by name" test: resumes the operation
 * named on the command line (or a saved handle) against the endpoint, waits
 * for it, and prints `{ name, firstPollDone, states, polls, result }` as one
 * JSON line: what its first GetOperation saw (so the test knows it resumed an
 * operation still running), the metadata states it saw, how many polls it made.
 * Usage: node --import tsx resume-child.ts <endpoint> <method id> <name or saved handle JSON>
 */
import { fileURLToPath } from 'node:url';
import {
  createOperationsTransport,
  createPoller,
  createTransport,
  type LroDescriptor,
  VISION_OPERATIONS,
  type VisionOperationMethod,
} from 'vision-kit';
import { messageToJson } from 'vision-kit/codec';

/** Resumes, waits and prints. */
async function main(): Promise<void> {
  const [endpoint, method, handle] = process.argv.slice(2) as [string, VisionOperationMethod, string];
  const transport = createTransport({ endpoint });
  const poller = createPoller({ transport: createOperationsTransport(transport), schedule: { initialDelay: 20, maxDelay: 50 } });
  const descriptor: LroDescriptor = VISION_OPERATIONS[method];
  const lro = poller.resume(descriptor, handle.startsWith('{') ? JSON.parse(handle) : handle);
  try {
    const first = await lro.poll();
    const states: unknown[] = [];
    const note = (m: unknown): void => void states.push((m as { state?: unknown } | undefined)?.state);
    note(lro.metadata);
    const result = await lro.wait({ timeout: 20_000, onProgress: note });
    const polls = poller.stats();
    const line = {
      name: lro.name,
      firstPollDone: first.done,
      states,
      peakInFlight: polls.peakInFlight,
      result: result === undefined ? null : messageToJson(descriptor.responseType, result as object),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    transport.close();
  }
}

// Only when run as a program (mocha also loads this folder's files).
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
