/**
 * Soak: the bindings pipeline is deterministic over repeated cold runs (the
 * property `npm run gen:check` relies on), each run checked file by file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateVision } from '../../scripts/gen/vision.js';
import { listFiles } from '../../tools/src/gen/diff-trees.js';

/** Every file of `dir` by relative path, with its text. */
function snapshot(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('soak: npm run gen is deterministic', () => {
  it('gives byte-identical proto/ and gen/ over 5 cold runs', async () => {
    let first: Map<string, string> | undefined;
    for (let i = 0; i < 5; i++) {
      const stage = mkdtempSync(join(tmpdir(), 'vision-kit-gen-soak-'));
      try {
        await generateVision(stage);
        const snap = snapshot(stage);
        if (!first) first = snap;
        else assert.deepEqual(snap, first, `run ${i + 1} differs from run 1`);
      } finally {
        rmSync(stage, { recursive: true, force: true });
      }
    }
    assert.ok(first && first.size > 20);
  });
});
