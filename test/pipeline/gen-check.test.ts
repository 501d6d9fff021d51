/**
 * `npm run gen:check` fails, with a summary naming each file, on a tree
 * whose generated files were changed, removed or added by hand; it passes
 * on an untouched one. The checked trees are scratch copies of the committed
 * ones (VISION_KIT_GEN_OUT), never the working tree.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyOfTrees, digest, runGenScript } from './support.js';

describe('npm run gen:check', function () {
  this.timeout(60000);
  const made: string[] = [];
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('passes on an untouched copy of the committed trees', async () => {
    const tree = copyOfTrees();
    made.push(tree);
    const { code, stderr } = await runGenScript('check.ts', { VISION_KIT_GEN_OUT: tree });
    assert.equal(code, 0, stderr);
    assert.equal(stderr.trim(), 'gen:check: proto/ and gen/ are up to date');
  });

  it('fails with exit 1 and names every changed, missing and extra file', async () => {
    const tree = copyOfTrees();
    made.push(tree);
    appendFileSync(join(tree, 'gen/schema/services.ts'), '// edited by hand\n');
    const proto = join(tree, 'proto/google/cloud/vision/v1p4beta1/product_search.proto');
    writeFileSync(proto, readFileSync(proto, 'utf8').replace('ProductSearchParams', 'ProductSearchParamz'));
    rmSync(join(tree, 'gen/google/rpc/error_details.ts'));
    writeFileSync(join(tree, 'test/gen/stray.ts'), 'export {};\n');
    const before = digest(tree);
    const { code, stderr } = await runGenScript('check.ts', { VISION_KIT_GEN_OUT: tree });
    assert.equal(code, 1, stderr);
    const lines = stderr.trimEnd().split('\n');
    assert.match(lines[0]!, /^gen:check: proto\/ or gen\/ differ from a fresh `npm run gen` \(4 files\); run npm run gen and commit:$/);
    assert.deepEqual(
      lines
        .slice(1)
        .map((l) => l.trim())
        .sort(),
      [
        'changed  gen/schema/services.ts',
        'changed  proto/google/cloud/vision/v1p4beta1/product_search.proto',
        'extra    test/gen/stray.ts (generation does not produce it)',
        'missing  gen/google/rpc/error_details.ts (generation produces it)',
      ],
    );
    assert.equal(digest(tree), before, 'the check only reads the tree');
  });
});
