/**
 * The swap at the end of `npm run gen` (tools/src/gen/swap-trees.ts) is all or
 * nothing: a failure at any rename puts every old tree back and leaves the
 * new ones in the staging folder; nothing is left next to the trees.
 */
import assert from 'node:assert/strict';
import { cpSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { swapTrees } from '../../tools/src/gen/swap-trees.js';
import { digest, OUTPUTS, ROOT, runGenScript, scratch, writeTree } from './support.js';

/** Trees named like the pipeline's outputs, each holding one file saying which generation it is. */
function trees(dir: string, generation: string): void {
  writeTree(dir, Object.fromEntries(OUTPUTS.map((name) => [`${name}/which.txt`, `${generation} ${name}\n`])));
}

describe('npm run gen: the all-or-nothing swap', function () {
  this.timeout(60000);
  const made: string[] = [];
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  function setUp(withOld: boolean): { out: string; stage: string } {
    const out = scratch('swap-out');
    made.push(out);
    const stage = join(out, '.gen-stage-test');
    trees(stage, 'new');
    if (withOld) trees(out, 'old');
    return { out, stage };
  }

  it('moves every new tree in and removes the old ones', () => {
    const { out, stage } = setUp(true);
    swapTrees(stage, out, OUTPUTS);
    const after = digest(out);
    for (const name of OUTPUTS) assert.match(after, new RegExp(`${name}/which.txt:new ${name}`));
    assert.doesNotMatch(after, /old /);
    assert.doesNotMatch(after, /\.gen-old-/);
  });

  // Three trees: renames 0–2 move the old ones aside, 3–5 move the new ones in.
  for (let failAt = 0; failAt < 2 * OUTPUTS.length; failAt++) {
    it(`puts the old trees back when rename ${failAt + 1} of ${2 * OUTPUTS.length} fails`, () => {
      const { out, stage } = setUp(true);
      const stageBefore = digest(stage);
      const outBefore = digest(out).replace(/^[^\n]*/, '');
      let calls = 0;
      const rename = (from: string, to: string): void => {
        if (calls++ === failAt) throw Object.assign(new Error(`EBUSY: resource busy, rename '${from}'`), { code: 'EBUSY' });
        renameSync(from, to);
      };
      assert.throws(
        () => swapTrees(stage, out, OUTPUTS, { rename }),
        (e: Error) => {
          assert.match(e.message, /^gen: step "swap" failed: EBUSY: .* \(rolled back: nothing was replaced\)$/);
          assert.doesNotMatch(e.message, /\n/);
          return true;
        },
      );
      assert.equal(digest(stage), stageBefore, 'the new trees are back in the staging folder');
      assert.equal(digest(out).replace(/^[^\n]*/, ''), outBefore, 'the old trees are back in place');
      assert.deepEqual(
        readdirSync(out).filter((e) => e.startsWith('.gen-old-')),
        [],
        'no .gen-old-* folder left',
      );
    });
  }

  it('leaves no tree at all when the first generation fails part-way', () => {
    const { out, stage } = setUp(false);
    let calls = 0;
    const rename = (from: string, to: string): void => {
      if (calls++ === 1) throw new Error('EIO: i/o error');
      renameSync(from, to);
    };
    assert.throws(() => swapTrees(stage, out, OUTPUTS, { rename }), /step "swap" failed: EIO/);
    assert.deepEqual(readdirSync(out), ['.gen-stage-test']);
  });

  it('says where the previous trees are when the rollback fails too', () => {
    const { out, stage } = setUp(true);
    let calls = 0;
    const rename = (from: string, to: string): void => {
      // proto/ moves in, gen/ fails, and proto/ cannot go back: the staging folder became a file.
      if (calls++ === OUTPUTS.length + 1) {
        rmSync(stage, { recursive: true, force: true });
        writeFileSync(stage, 'not a folder');
        throw new Error('EIO: i/o error');
      }
      renameSync(from, to);
    };
    assert.throws(
      () => swapTrees(stage, out, OUTPUTS, { rename }),
      (e: Error) =>
        /^gen: step "swap" failed: EIO: i\/o error; the rollback failed too \(proto: .*\): the previous trees are in .*\.gen-old-/.test(
          e.message,
        ),
    );
    const old = readdirSync(out).find((e) => e.startsWith('.gen-old-'));
    assert.ok(old, 'the previous trees are kept');
  });

  it('npm run gen rolls back proto/ and gen/ when test/gen cannot be moved in (its parent is a file)', async () => {
    const out = scratch('swap-run');
    made.push(out);
    for (const name of ['proto', 'gen']) {
      cpSync(join(ROOT, name), join(out, name), { recursive: true });
      // Mark the old trees, so "the same content again" cannot pass for "untouched".
      writeFileSync(join(out, name, 'OLD-TREE.txt'), `the ${name}/ before the run\n`);
    }
    writeFileSync(join(out, 'test'), 'a file where test/ should be a folder\n');
    const before = digest(out);
    const { code, stderr } = await runGenScript('run.ts', { VISION_KIT_GEN_OUT: out });
    assert.equal(code, 1, stderr);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /^gen: step "swap" failed: .*test.* \(rolled back: nothing was replaced\)$/m);
    assert.equal(digest(out), before, 'the old proto/ and gen/ are back, nothing left behind');
  });
});
