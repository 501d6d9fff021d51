/**
 * A toolkit for any Google API, as a user meets it: from the packed library
 * and vision-kit-tools installed in an empty folder, `vision-kit gen` makes
 * bindings for Speech v1 and for Document AI v1 (whose imports go beyond
 * Vision's: google/type/date.proto and more) from the pinned googleapis
 * protos, with a minimal service config of each (test/packaging/fixtures:
 * the Operations routes are facts). A user's program, type-checked with tsc
 * and run with plain node, then serves each API with `vision-kit/serving` on
 * 127.0.0.1 and calls it through a typed client over gRPC and REST: it waits
 * on an operation, sees progress, meets a typed failure, and a second
 * process resumes a saved handle — with no `routes` option anywhere. The
 * README's examples of the same are type-checked beside them.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { listFiles } from '../../tools/src/gen/diff-trees.js';
import { type InstalledRun, installedEnv, type PackedInstall, packedInstall, ROOT, runInstalled } from '../support/packed-install.js';
import {
  APP_PACKAGE_JSON,
  APP_TSCONFIG,
  DOCUMENTAI_CLIENT,
  DOCUMENTAI_RESUME,
  DOCUMENTAI_SERVER,
  SPEECH_CLIENT,
  SPEECH_RESUME,
  SPEECH_SERVER,
  TRANSPORT_PROGRAM,
} from './support/generated-api-programs.js';

/** Runs `file args…` in `cwd` with a user's environment (the shared helper, with this file's timeout). */
const run = (file: string, args: readonly string[], cwd: string, timeoutMs = 180_000) => runInstalled(file, args, cwd, timeoutMs);

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

/** The one JSON line a program printed. */
function json<T>(r: InstalledRun, what: string): T {
  assert.equal(r.code, 0, `${what} failed:\n${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout) as T;
}

/** A server program of the app, running until stopped. */
interface AppServer {
  readonly grpc: string;
  readonly http: string;
  stop(): Promise<void>;
}

async function startAppServer(app: string, program: string): Promise<AppServer> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [program], { cwd: app, env: installedEnv(), stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const first = await Promise.race([
    createInterface({ input: child.stdout })[Symbol.asyncIterator]().next(),
    exited.then((code) => {
      throw new Error(`${program} exited (${String(code)}) before its ready line:\n${stderr}`);
    }),
  ]);
  const ready = JSON.parse(first.value as string) as { grpc: string; http: string };
  assert.match(ready.grpc, /^127\.0\.0\.1:\d+$/);
  assert.match(ready.http, /^http:\/\/127\.0\.0\.1:\d+$/);
  return {
    ...ready,
    async stop() {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, `${program} stops cleanly on SIGTERM:\n${stderr}`);
    },
  };
}

describe('vision-kit gen from a packed install: Speech v1 and Document AI v1, served and called over gRPC and REST', function () {
  this.timeout(600_000);
  let install: PackedInstall;
  let app: string;
  const bin = (): string => join(install.dir, 'node_modules', '.bin', 'vision-kit');

  before(async () => {
    install = await packedInstall('library+tools');
    app = join(install.dir, 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'package.json'), APP_PACKAGE_JSON);
    writeFileSync(join(app, 'tsconfig.json'), APP_TSCONFIG);
    // The service configs, as a user saves them from the googleapis repository.
    for (const file of ['speech_v1.yaml', 'documentai_v1.yaml']) {
      copyFileSync(join(ROOT, 'test/packaging/fixtures/service-configs', file), join(app, file));
    }
  });

  it('generates Speech v1 from the pinned googleapis protos, leaving StreamingRecognize out in one line', async () => {
    const r = await run(bin(), ['gen', 'google/cloud/speech/v1', '--service-config', 'speech_v1.yaml', '--out', 'src/gen/speech'], app);
    assert.equal(r.code, 0, r.stderr);
    const [left, wrote, ...rest] = lines(r.stderr);
    assert.equal(
      left,
      'gen: left out google.cloud.speech.v1.Speech.StreamingRecognize (bidirectional streaming; the clients and the serving layer are unary)',
    );
    assert.match(wrote!, /^gen: wrote 8 files to src\/gen\/speech in \d+ ms$/);
    assert.deepEqual(rest, []);
    assert.deepEqual(listFiles(join(app, 'src/gen/speech')), [
      'google/cloud/speech/v1/cloud_speech.ts',
      'google/cloud/speech/v1/cloud_speech_adaptation.ts',
      'google/cloud/speech/v1/resource.ts',
      'index.ts',
      'schema/messages.ts',
      'schema/operations.ts',
      'schema/resources.ts',
      'schema/services.ts',
    ]);
    const services = readFileSync(join(app, 'src/gen/speech/schema/services.ts'), 'utf8');
    assert.match(services, /"google\.cloud\.speech\.v1\.Speech": \{"get":\[\{"method":"GET","path":"\/v1\/operations\/\{name=\*\*\}"\}\]/);
  });

  it('generates Document AI v1, writing the google/type modules vision-kit does not ship and importing the ones it does', async () => {
    const r = await run(
      bin(),
      ['gen', 'google/cloud/documentai/v1', '--service-config', 'documentai_v1.yaml', '--out', 'src/gen/documentai'],
      app,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(lines(r.stderr).at(-1)!, /^gen: wrote \d+ files to src\/gen\/documentai in \d+ ms$/);
    const files = listFiles(join(app, 'src/gen/documentai'));
    for (const f of [
      'google/type/date.ts',
      'google/type/datetime.ts',
      'google/type/money.ts',
      'google/type/postal_address.ts',
      'index.ts',
    ]) {
      assert.ok(files.includes(f), `${f} in ${files.join(', ')}`);
    }
    for (const f of ['google/type/color.ts', 'google/longrunning/operations.ts', 'google/protobuf/timestamp.ts', 'google/rpc/status.ts']) {
      assert.ok(!files.includes(f), `${f} comes from vision-kit, not copied`);
    }
    const document = readFileSync(join(app, 'src/gen/documentai/google/cloud/documentai/v1/document.ts'), 'utf8');
    assert.match(document, /from "vision-kit\/gen\/google\/type\/color\.js"/);
    assert.match(document, /from "\.\.\/\.\.\/\.\.\/type\/date\.js"/);
    for (const f of files) {
      const text = readFileSync(join(app, 'src/gen/documentai', f), 'utf8');
      assert.doesNotMatch(text, /from "(\.\.\/){5,}/, `${f} imports nothing outside its folder by a relative path`);
    }
  });

  it('--check passes on both folders (the runs are reproducible from the install)', async () => {
    const [speech, docs] = await Promise.all([
      run(bin(), ['gen', 'google/cloud/speech/v1', '--service-config', 'speech_v1.yaml', '--out', 'src/gen/speech', '--check'], app),
      run(
        bin(),
        ['gen', 'google/cloud/documentai/v1', '--service-config', 'documentai_v1.yaml', '--out', 'src/gen/documentai', '--check'],
        app,
      ),
    ]);
    assert.equal(speech.code, 0, speech.stderr);
    assert.match(lines(speech.stderr).at(-1)!, /^gen --check: src\/gen\/speech is up to date \(8 files\)$/);
    assert.equal(docs.code, 0, docs.stderr);
    assert.match(lines(docs.stderr).at(-1)!, /^gen --check: src\/gen\/documentai is up to date \(\d+ files\)$/);
  });

  it("the user's servers and clients, and the README's, type-check against the bindings and the shipped declarations (tsc, strict)", async () => {
    const programs: Record<string, string> = {
      'transport.ts': TRANSPORT_PROGRAM,
      'speech-server.ts': SPEECH_SERVER,
      'speech-client.ts': SPEECH_CLIENT,
      'speech-resume.ts': SPEECH_RESUME,
      'documentai-server.ts': DOCUMENTAI_SERVER,
      'documentai-client.ts': DOCUMENTAI_CLIENT,
      'documentai-resume.ts': DOCUMENTAI_RESUME,
    };
    // The README's examples of the same (its "Any Google API, or your own protos" section), as written.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/<!-- readme-gen-example: ([\w-]+) -->\s*```ts\n([\s\S]*?)```/g)];
    assert.deepEqual(
      examples.map((m) => m[1]),
      ['speech-client', 'speech-server'],
    );
    for (const [, name, code] of examples) programs[`readme-${name}.ts`] = code!;
    for (const [file, text] of Object.entries(programs)) writeFileSync(join(app, 'src', file), text);
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
    assert.equal(tsc.code, 0, `tsc:\n${tsc.stdout}${tsc.stderr}`);
  });

  describe('Speech v1', () => {
    let server: AppServer;
    before(async () => {
      server = await startAppServer(app, 'build/speech-server.js');
    });
    after(() => server?.stop());

    const outcomes: Record<string, unknown> = {};
    for (const kind of ['grpc', 'rest'] as const) {
      it(`over ${kind}: waits with progress, gets a typed failure, and a second process resumes the saved handle`, async () => {
        type Out = {
          name: string;
          progress: number[];
          transcript: string;
          billed: unknown;
          failure: unknown;
          refused: unknown;
          saved: string;
        };
        const out = json<Out>(
          await run(process.execPath, ['build/speech-client.js', kind, server.grpc, server.http], app),
          'speech-client',
        );
        assert.match(out.name, /^\d+$/, 'Speech names operations by number (routed by its service config)');
        assert.deepEqual(out.progress, [0, 50, 100]);
        assert.equal(out.transcript, 'hello world');
        assert.deepEqual(out.billed, { seconds: '3', nanos: 0 });
        assert.deepEqual(out.failure, {
          type: 'LroOperationError',
          code: 'NOT_FOUND',
          message: 'gs://audio/missing.flac was not found',
          details: [
            {
              type: 'google.rpc.ResourceInfo',
              value: {
                resourceType: 'storage.googleapis.com/Object',
                resourceName: 'gs://audio/missing.flac',
                owner: '',
                description: 'no such object',
              },
            },
          ],
        });
        assert.deepEqual(out.refused, {
          code: 'INVALID_ARGUMENT',
          details: [
            {
              type: 'google.rpc.BadRequest',
              value: { fieldViolations: [{ field: 'audio.uri', description: 'must be a gs:// URI', reason: '' }] },
            },
          ],
        });
        const saved = JSON.parse(out.saved) as { name: string; method: string };
        assert.equal(saved.method, 'google.cloud.speech.v1.Speech/LongRunningRecognize');
        const again = json<{ name: string; progress: number[]; transcript: string }>(
          await run(process.execPath, ['build/speech-resume.js', kind, server.grpc, server.http, out.saved], app),
          'speech-resume',
        );
        // A resumed handle has no start response: its progress starts with its first poll.
        assert.deepEqual(again, { name: saved.name, progress: [50, 100], transcript: 'hello world' });
        outcomes[kind] = { ...out, name: undefined, saved: undefined };
      });
    }

    it('gives the same outcome on both transports', () => {
      assert.ok(outcomes.grpc !== undefined && outcomes.rest !== undefined);
      assert.deepEqual(outcomes.rest, outcomes.grpc);
    });
  });

  describe('Document AI v1', () => {
    let server: AppServer;
    before(async () => {
      server = await startAppServer(app, 'build/documentai-server.js');
    });
    after(() => server?.stop());

    const outcomes: Record<string, unknown> = {};
    for (const kind of ['grpc', 'rest'] as const) {
      it(`over ${kind}: a google.type.Date comes back typed; an operation waits, fails typed, and resumes in a second process`, async () => {
        type Out = { name: string; date: unknown; uri: string; states: string[]; result: unknown; failure: unknown; saved: string };
        const out = json<Out>(
          await run(process.execPath, ['build/documentai-client.js', kind, server.grpc, server.http], app),
          'documentai-client',
        );
        assert.match(out.name, /^projects\/p\/locations\/us\/operations\/\d+$/);
        assert.deepEqual(out.date, { year: 2024, month: 3, day: 1 });
        assert.equal(out.uri, 'gs://docs/invoice.pdf');
        assert.deepEqual(out.states, ['2 ', '2 step 1', '2 step 2', '3 ']);
        assert.deepEqual(out.result, {});
        assert.deepEqual(out.failure, {
          type: 'LroOperationError',
          code: 'FAILED_PRECONDITION',
          message: 'the processor is disabled',
          details: [
            {
              type: 'google.rpc.ErrorInfo',
              value: {
                reason: 'PROCESSOR_DISABLED',
                domain: 'documentai.googleapis.com',
                metadata: { processor: 'projects/p/locations/us/processors/broken' },
              },
            },
          ],
          state: 'with metadata',
        });
        const saved = JSON.parse(out.saved) as { name: string };
        const again = json<{ name: string; states: number[]; result: unknown }>(
          await run(process.execPath, ['build/documentai-resume.js', kind, server.grpc, server.http, out.saved], app),
          'documentai-resume',
        );
        assert.deepEqual(again, { name: saved.name, states: [2, 2, 3], result: {} });
        outcomes[kind] = { ...out, name: undefined, saved: undefined };
      });
    }

    it('gives the same outcome on both transports', () => {
      assert.ok(outcomes.grpc !== undefined && outcomes.rest !== undefined);
      assert.deepEqual(outcomes.rest, outcomes.grpc);
    });
  });
});
