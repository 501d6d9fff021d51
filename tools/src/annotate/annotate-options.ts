/**
 * Checks the options of `vision-kit annotate` before anything starts:
 * features, `--output`, `--batch-size`, `--transport`, product search.
 * Every problem is a CliError (exit 2) naming the option.
 */
import { type TransportKind, VisionError } from 'vision-kit';
import { CliError } from 'vision-kit/cli';
import { gsUriProblem } from '../emulator/storage/gcs-names.js';
import { type ProductSearchSettings, parseFeatures } from '../workflow/annotate-request.js';
import { destinationOfUri, type OutputDestination } from '../workflow/output-files.js';

/** Options of `vision-kit annotate`, as commander parses them (checked by the implementation). */
export interface AnnotateCommandOptions {
  /** Comma-separated Feature.Type names. */
  readonly features: string;
  /** `gs://` destination; default `gs://vision-kit-out/<timestamp>/`. */
  readonly output?: string;
  /** Responses per output file (1–100), as typed. */
  readonly batchSize: string;
  /** `grpc` or `rest`. */
  readonly transport?: string;
  /** `host:port` (gRPC) or `http(s)://host:port` (REST). */
  readonly endpoint?: string;
  /** The embedded emulator's state folder. */
  readonly dataDir: string;
  /** One JSON document on stdout instead of the text summary. */
  readonly json?: boolean;
  /** Product set for PRODUCT_SEARCH (adds the feature). */
  readonly productSet?: string;
  /** Product category for PRODUCT_SEARCH. */
  readonly productCategory?: string;
  /** An API key (an emulator's --auth-token, or a Google API key). */
  readonly apiKey?: string;
  /** Plaintext to a non-loopback gRPC endpoint. */
  readonly plaintext?: boolean;
  /** Stack traces and emulator logs (a global option, also accepted after the command). */
  readonly verbose?: boolean;
}

/** The checked options. */
export interface AnnotatePlan {
  readonly features: readonly string[];
  readonly outputUri: string;
  readonly destination: OutputDestination;
  /** Whether `--output` was given (Google needs one). */
  readonly outputGiven: boolean;
  readonly batchSize: number;
  readonly transport: TransportKind | undefined;
  readonly productSearch: ProductSearchSettings | undefined;
}

/** `2025-01-02T03-04-05.678Z`: a timestamp safe in object names and file names. */
export function runStamp(date = new Date()): string {
  return date.toISOString().replace(/:/g, '-');
}

/** Checks a `gs://BUCKET/PATH` destination; returns why it is refused, or undefined. */
export function outputProblem(uri: string): string | undefined {
  if (!uri.startsWith('gs://')) return 'is not a gs:// URI (e.g. gs://my-bucket/results/)';
  return gsUriProblem(uri, true);
}

/** Checks the options (CliError on the first problem). */
export function planAnnotate(options: AnnotateCommandOptions, now = new Date()): AnnotatePlan {
  let features: string[];
  try {
    features = parseFeatures(options.features);
  } catch (err) {
    throw new CliError(`--features: ${err instanceof VisionError ? err.rawMessage : String(err)}`, 2, { cause: err });
  }
  if (options.productSet !== undefined && !features.includes('PRODUCT_SEARCH')) features.push('PRODUCT_SEARCH');
  if (features.includes('PRODUCT_SEARCH') && options.productSet === undefined) {
    throw new CliError('--features PRODUCT_SEARCH needs --product-set projects/P/locations/L/productSets/S');
  }
  if (options.productSet !== undefined && !/^projects\/[^/]+\/locations\/[^/]+\/productSets\/[^/]+$/.test(options.productSet)) {
    throw new CliError(`--product-set "${options.productSet}" is not projects/P/locations/L/productSets/S`);
  }

  const outputGiven = options.output !== undefined;
  const outputUri = options.output ?? `gs://vision-kit-out/${runStamp(now)}/`;
  const problem = outputProblem(outputUri);
  if (problem !== undefined) throw new CliError(`--output "${outputUri}": ${problem}`);

  const batchText = options.batchSize.trim();
  const batchSize = Number(batchText);
  if (!/^\d+$/.test(batchText) || batchSize < 1 || batchSize > 100) {
    throw new CliError(`--batch-size "${options.batchSize}": must be a whole number from 1 to 100`);
  }

  let transport: TransportKind | undefined;
  if (options.transport !== undefined) {
    const t = options.transport.toLowerCase();
    if (t !== 'grpc' && t !== 'rest') throw new CliError(`--transport "${options.transport}": must be grpc or rest`);
    transport = t;
  }

  return {
    features,
    outputUri,
    destination: destinationOfUri(outputUri),
    outputGiven,
    batchSize,
    transport,
    productSearch:
      options.productSet === undefined
        ? undefined
        : { productSet: options.productSet, productCategories: options.productCategory ? [options.productCategory] : [] },
  };
}
