/**
 * Names of asyncBatchAnnotate's output files: `<prefix>output-<first>-to-<last>.json`
 * (1-based, inclusive) under the destination, each holding the responses of
 * requests `first`–`last` in order. Browser-safe.
 */

/** Where an operation writes: a bucket, a folder (empty or ending in "/") and a file-name prefix. */
export interface OutputDestination {
  /** The bucket the files go to. */
  readonly bucket: string;
  /** Object-name folder, "" or ending in "/". */
  readonly folder: string;
  /** File-name prefix inside the folder (the last segment of a URI not ending in "/"). */
  readonly filePrefix: string;
}

/** The object-name prefix every output file of `dest` starts with. */
export function outputPrefix(dest: OutputDestination): string {
  return `${dest.folder}${dest.filePrefix}output-`;
}

/** The responses an output file holds: requests `first`–`last`, 1-based, inclusive. */
export interface OutputRange {
  /** The first request answered (1-based). */
  readonly first: number;
  /** The last request answered (1-based, inclusive). */
  readonly last: number;
}

/**
 * The range of an output file's object name, or undefined when the name is
 * not `<folder><filePrefix>output-<first>-to-<last>.json` of `dest`.
 */
export function outputRangeOf(dest: OutputDestination, objectName: string): OutputRange | undefined {
  const prefix = outputPrefix(dest);
  if (!objectName.startsWith(prefix)) return undefined;
  const m = /^([1-9]\d*)-to-([1-9]\d*)\.json$/.exec(objectName.slice(prefix.length));
  if (!m) return undefined;
  const first = Number(m[1]);
  const last = Number(m[2]);
  return last >= first ? { first, last } : undefined;
}

/** How many output files `images` requests give with `batchSize` (0 = the default, 20). */
export function expectedOutputFiles(images: number, batchSize: number): number {
  const size = batchSize > 0 ? batchSize : 20;
  return Math.ceil(images / size);
}

/** Splits `gs://BUCKET/PATH` into a destination (a trailing "/" makes PATH a folder). */
export function destinationOfUri(uri: string): OutputDestination {
  const m = /^gs:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new TypeError(`not a gs:// URI: ${uri}`);
  const object = m[2]!;
  const cut = object.lastIndexOf('/') + 1;
  return { bucket: m[1]!, folder: object.slice(0, cut), filePrefix: object.slice(cut) };
}
