/** The shape of scripts/bench/results.json (what BENCHMARKS.md is rendered from). */
import type { BundleResult } from '../bundle.js';
import type { CodegenResult } from '../codegen.js';
import type { InstallMeasurement } from '../install.js';
import type { OperationsResult } from '../operations.js';
import type { TranscodeResult } from '../transcode.js';
import type { UnaryResult } from '../unary.js';
import type { MachineInfo } from './machine.js';

/** The measurements, in the order `npm run bench` runs them. */
export const MEASUREMENTS = ['bundle', 'transcoding', 'unary', 'operations', 'codegen', 'install'] as const;

/** One measurement's name. */
export type MeasurementName = (typeof MEASUREMENTS)[number];

/** Everything one `npm run bench` measured. */
export interface BenchResults {
  readonly machine: MachineInfo;
  /** A smoke run (tiny sizes; figures not worth reading). */
  readonly smoke: boolean;
  /** What of vision-kit was measured: the bundle `npm run build` makes, or the sources through tsx. */
  readonly ours: 'bundle' | 'source';
  /** Wall time of each measurement and of the whole run, in seconds. */
  readonly seconds: { readonly [K in MeasurementName | 'total']?: number };
  /**
   * When and at which commit each measurement ran (a run with `--only` keeps
   * the other measurements' figures from the previous results.json).
   */
  readonly measured?: { readonly [K in MeasurementName]?: MeasuredAt };
  readonly bundle?: BundleResult;
  readonly transcoding?: TranscodeResult;
  readonly unary?: UnaryResult;
  readonly operations?: OperationsResult;
  readonly codegen?: CodegenResult;
  readonly install?: InstallMeasurement;
}

/** When and at which commit a measurement ran. */
export interface MeasuredAt {
  readonly date: string;
  readonly commit: string;
}
