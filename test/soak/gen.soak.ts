/**
 * Soak: the bindings pipeline is deterministic over repeated cold runs (the
 * property `npm run gen:check` relies on), each run checked file by file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
// @ts-expect-error the pipeline is plain JavaScript (scripts/gen)
import { generate } from '../../scripts/gen/pipeline.mjs';

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) visit(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  visit(dir);
  return out;
}

describe('soak: npm run gen is deterministic', () => {
  it('gives byte-identical proto/ and gen/ over 5 cold runs', async () => {
    let first: Map<string, string> | undefined;
    for (let i = 0; i < 5; i++) {
      const stage = mkdtempSync(join(tmpdir(), 'vision-kit-gen-soak-'));
      try {
        await (generate as (dir: string) => Promise<unknown>)(stage);
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
