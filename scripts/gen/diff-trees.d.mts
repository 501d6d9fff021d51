/** Every file below `dir` (paths relative to it, sorted); none when `dir` does not exist. */
export declare function listFiles(dir: string): string[];
/** One line per file that differs between the generated `expectedDir` and the committed `actualDir`. */
export declare function diffTrees(expectedDir: string, actualDir: string, label: string): string[];
