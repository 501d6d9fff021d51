/**
 * The README's runnable examples and what each must print, shared by the
 * test that runs them from this checkout's sources (readme-examples.test.ts)
 * and the one that runs them from a packed install (readme-installed.test.ts).
 *
 * A runnable example is a fenced ```ts or ```js block right after a
 * `<!-- readme-example: NAME -->` marker. They run in README order against
 * one emulator, and each must print the same twice in a row on the same data
 * dir (the first one uploads the image the later ones annotate). Examples
 * name the emulator through the environment (`VISION_EMULATOR_HOST`,
 * `VISION_EMULATOR_REST`, `STORAGE_EMULATOR_HOST`), as the README's first
 * program tells users to; the emulator's default ports written in an example
 * (`127.0.0.1:8089`, `http://127.0.0.1:8090`, for the browser, which has no
 * environment) are the only text replaced, by the test emulator's ports.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One runnable example of the README. */
export interface ReadmeExample {
  readonly name: string;
  readonly lang: 'ts' | 'js';
  readonly code: string;
}

/** The runnable examples of the README at `readmePath`, in order. */
export function readmeExamples(readmePath: string): ReadmeExample[] {
  const text = readFileSync(readmePath, 'utf8');
  const re = /<!-- readme-example: ([\w-]+) -->\s*```(ts|js)\n([\s\S]*?)```/g;
  return [...text.matchAll(re)].map((m) => ({ name: m[1]!, lang: m[2] as 'ts' | 'js', code: m[3]! }));
}

/** The lines of the ```text block the README shows right after the example `name`'s block, if any. */
export function shownOutput(readmePath: string, name: string): string[] | undefined {
  const text = readFileSync(readmePath, 'utf8');
  const at = text.indexOf(`<!-- readme-example: ${name} -->`);
  if (at < 0) return undefined;
  const m = /^```(?:ts|js)\n[\s\S]*?^```\n\s*```text\n([\s\S]*?)^```/m.exec(text.slice(at));
  return m === null ? undefined : m[1]!.trimEnd().split('\n');
}

/** An example's code with the emulator's default endpoints replaced by a running one's. */
export function withEndpoints(code: string, grpcAddress: string, httpUrl: string): string {
  return code.replaceAll("'127.0.0.1:8089'", `'${grpcAddress}'`).replaceAll("'http://127.0.0.1:8090'", `'${httpUrl}'`);
}

/** The environment variables that point an example at a running emulator. */
export function emulatorEnv(grpcAddress: string, httpUrl: string): Record<string, string> {
  return { VISION_EMULATOR_HOST: grpcAddress, VISION_EMULATOR_REST: httpUrl, STORAGE_EMULATOR_HOST: httpUrl };
}

/** Checks what the example `name` printed (`readmePath`: the README it came from, for its shown output). */
export function checkOutput(readmePath: string, name: string, stdout: string): void {
  const lines = stdout.trimEnd().split('\n');
  switch (name) {
    case 'first': {
      const shown = shownOutput(readmePath, 'first');
      assert.ok(shown, 'the README shows what the first program prints');
      const colors = (l: string[]): string[] => l.filter((x) => x.startsWith('rgb('));
      assert.deepEqual(colors(lines), colors(shown), stdout);
      assert.equal(lines.filter((l) => l.startsWith('operation ')).at(-1), 'operation DONE', stdout);
      assert.equal(shown.filter((l) => l.startsWith('operation ')).at(-1), 'operation DONE');
      return;
    }
    case 'storage':
      assert.equal(stdout, 'gs://my-images/notes.txt 5 bytes\n');
      return;
    case 'clients':
      assert.equal(stdout, 'Shoe\nprojects/demo/locations/us-west1/products/shoe\n');
      return;
    case 'types':
      assert.equal(stdout, '1 VERY_LIKELY\nboot\n2023-11-14T22:13:20.000Z\n');
      return;
    case 'errors':
      assert.equal(stdout, 'INVALID_ARGUMENT name\nNOT_FOUND\n');
      return;
    case 'poller':
      assert.equal(lines.filter((l) => l.startsWith('state ')).at(-1), 'state DONE', stdout);
      assert.deepEqual(lines.slice(-2), ['results where asked true', 'same result true'], stdout);
      return;
    case 'browser':
      assert.equal(stdout, 'true\n');
      return;
    default:
      assert.fail(`README example "${name}" has no expected output in test/readme/support/readme-examples.ts`);
  }
}

/** The names of the examples {@link checkOutput} knows, in README order. */
export const EXAMPLE_NAMES: readonly string[] = ['first', 'storage', 'clients', 'types', 'errors', 'poller', 'browser'];

/** The repository's README. */
export const README = join(import.meta.dirname, '..', '..', '..', 'README.md');
