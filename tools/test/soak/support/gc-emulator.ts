/**
 * The emulator in a child process that can be asked, over IPC, to collect
 * its garbage and report its memory (`node --expose-gc`): what the load soak
 * compares, so that a garbage collection that has not run yet does not pass
 * for a leak, nor a leak hide behind one that has. Started by `fork()` with
 * `--expose-gc --import tsx`; argv: the data dir. Sends `{ ready }` with the
 * ready line once listening; answers `{ gc: true }` with `{ memory }`;
 * stops on `{ stop: true }` or SIGTERM.
 */
import { startEmulator } from '../../../src/emulator/emulator.js';

const dataDir = process.argv[2];
if (!dataDir || !process.send) throw new Error('usage: fork(gc-emulator.ts, [dataDir], { execArgv: ["--expose-gc", "--import", "tsx"] })');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const emu = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir, opStepMs: 0, log: (l) => process.stderr.write(`${l}\n`) });
const stop = async (): Promise<void> => {
  await emu.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('message', (m: { gc?: boolean; stop?: boolean }) => {
  if (m.stop) return void stop();
  if (m.gc) {
    gc();
    gc();
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    process.send!({ memory: { rss, heapUsed, external, arrayBuffers } });
  }
});
process.send({ ready: JSON.parse(emu.readyLine()) as unknown });
