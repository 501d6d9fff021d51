/** Repository root. */
export declare const ROOT: string;
/** The proto paths exported from the package. */
export declare const EXPORT_PATHS: readonly string[];
/** Folder names the pipeline produces, relative to the root (and to a staging folder): proto, gen, test/gen. */
export declare const OUTPUTS: readonly string[];
/** The test-only protos' folder, relative to the root. */
export declare const TEST_PROTOS: string;
/** An error of one pipeline step; `message` is the one-line reason. */
export declare class GenStepError extends Error {
  constructor(step: string, reason: string);
  readonly step: string;
}
/** Finds the pinned proto package (a package name, or an absolute folder laid out like it). */
export declare function locateProtoPackage(packageName?: string): string;
/** Runs every step into `stage`; returns timings per step in ms. */
export declare function generate(
  stage: string,
  options?: { packageName?: string; template?: string; testProtos?: string },
): Promise<Record<string, number>>;
/** Reads a file as text, or undefined when it does not exist. */
export declare function readText(path: string): string | undefined;
