/**
 * The import rules of .dependency-cruiser.cjs (CONTRIBUTING.md, "Layers"):
 * the repository keeps them, and each rule really refuses what it is for —
 * shown on a small tree with one planted violation per rule.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

function depcruise(cwd: string, paths: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(DEPCRUISE, ['--config', CONFIG, '--output-type', 'err', ...paths], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

describe('import rules (dependency-cruiser)', function () {
  this.timeout(60_000);

  it('the repository keeps every rule', async () => {
    const { code, out } = await depcruise(ROOT, ['src', 'tools/src', 'gen']);
    assert.equal(code, 0, out);
  });

  it('each rule refuses its violation, by name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vk-layers-'));
    try {
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
        // layer-core: core imports a later layer.
        'src/core/code.ts': "import { send } from '../transport/send.js';\nexport const code = send;\n",
        'src/transport/send.ts': 'export const send = 1;\n',
        // layer-transport: a sibling layer (serving) is off limits too.
        'src/transport/host.ts': "import { host } from '../serving/host.js';\nexport const h = host;\n",
        'src/serving/host.ts': 'export const host = 1;\n',
        // no-circular: two poller modules import each other (types only).
        'src/lro/a.ts': "import type { B } from './b.js';\nexport interface A { b?: B }\n",
        'src/lro/b.ts': "import type { A } from './a.js';\nexport interface B { a?: A }\n",
        // entries-not-imported: a module imports an entry file.
        'src/client/use.ts': "import { x } from '../browser.js';\nexport const y = x;\n",
        'src/browser.ts': 'export const x = 1;\n',
        // browser-code-has-no-node: browser-safe code reaches a Node built-in.
        'src/codec/read.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
        // tools-through-package-entries: the tools reach into the library by path.
        'tools/src/t.ts': "import { send } from '../../src/transport/send.js';\nexport const t = send;\n",
        // library-not-on-tools: the library imports the tools.
        'src/cli/run.ts': "import { t } from '../../tools/src/t.js';\nexport const r = t;\n",
      };
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(join(dir, dirname(file)), { recursive: true });
        writeFileSync(join(dir, file), text);
      }
      const { code, out } = await depcruise(dir, ['src', 'tools/src']);
      assert.notEqual(code, 0, 'violations fail the check');
      for (const rule of [
        'layer-core',
        'layer-transport',
        'no-circular',
        'entries-not-imported',
        'browser-code-has-no-node',
        'tools-through-package-entries',
        'library-not-on-tools',
      ]) {
        assert.match(out, new RegExp(`\\b${rule}\\b`), `${rule} is reported`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
