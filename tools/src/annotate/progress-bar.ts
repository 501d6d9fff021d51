/**
 * The progress bar of `vision-kit annotate` on stderr (cli-progress): the
 * operation's name and state, output files so far out of those expected
 * (counted by listing the destination), and the elapsed time. On a terminal
 * it redraws in place; otherwise (a pipe, a log file, CI) it writes the same
 * line when something changes and every few seconds.
 */
import cliProgress from 'cli-progress';
import type { JobProgress } from '../workflow/annotate-job.js';

/** A progress display fed with the job's reports. */
export interface ProgressView {
  /** Shows a new report. */
  update(progress: JobProgress): void;
  /** Draws the last state and leaves the line. */
  stop(): void;
}

interface Payload {
  operation: string;
  state: string;
}

const BAR = 24;

/** One line of progress: `operations/42 RUNNING [######------] 1/3 output files  0.8 s`. */
export function formatProgressLine(payload: Payload, value: number, total: number, elapsedMs: number, bar = BAR): string {
  const filled = total > 0 ? Math.round((Math.min(value, total) / total) * bar) : 0;
  const name = payload.operation || 'asyncBatchAnnotateImages';
  return `${name} ${payload.state.padEnd(7)} [${'#'.repeat(filled)}${'-'.repeat(bar - filled)}] ${value}/${total} output files  ${(elapsedMs / 1000).toFixed(1)} s`;
}

/**
 * A cli-progress bar on `stream` (default stderr) when it is a terminal;
 * otherwise one plain line (the same text) per change of state or count.
 */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (stream.isTTY !== true) return lineProgress(stream);
  const bar = new cliProgress.SingleBar({
    stream,
    format: (options, params, payload: Payload) =>
      formatProgressLine(payload, params.value, params.total, (params.stopTime ?? Date.now()) - params.startTime, options.barsize ?? BAR),
    barsize: BAR,
    fps: 10,
    hideCursor: true,
    clearOnComplete: false,
    linewrap: false,
    gracefulExit: true,
  });
  let started = false;
  return {
    update(p) {
      const payload: Payload = { operation: p.operation, state: p.state };
      if (!started) {
        started = true;
        bar.start(p.expectedOutputFiles, p.outputFiles, payload);
        return;
      }
      bar.setTotal(p.expectedOutputFiles);
      bar.update(p.outputFiles, payload);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function lineProgress(stream: NodeJS.WritableStream): ProgressView {
  let last = '';
  let latest: JobProgress | undefined;
  const write = (p: JobProgress): void => {
    const key = `${p.operation}|${p.state}|${p.outputFiles}|${p.expectedOutputFiles}`;
    if (key === last) return;
    last = key;
    stream.write(`${formatProgressLine({ operation: p.operation, state: p.state }, p.outputFiles, p.expectedOutputFiles, p.elapsedMs)}\n`);
  };
  return {
    update(p) {
      latest = p;
      write(p);
    },
    stop() {
      if (latest) write(latest);
    },
  };
}
