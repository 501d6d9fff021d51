// `vision-kit emulator` with a --data-dir or --fixtures that cannot be used
// (a file, a path through a file, a folder that does not exist, one it may
// not write): a usage error, exit 2, one line naming the path and the
// pointer at --help, nothing on stdout, no raw Node error and no
// `[NOT_FOUND]` code; startEmulator rejects with EmulatorOptionError saying
// the same. Nothing is made or taken in the data dir when the fixtures are bad.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SOURCE_FLAGS } from '../../../test/support/source-flags.js';
import { EmulatorOptionError, startEmulator } from '../../src/emulator/emulator.js';
import { assertUsageError, runCli } from './support/child-emulator.js';
import { tempDir } from './support/harness.js';

const PORTS = ['--grpc-port', '0', '--http-port', '0'];

/** The command line prefix that runs `vision-kit` as the unprivileged user 65534 (root may write anywhere). */
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

describe('vision-kit emulator with a data dir or fixtures folder it cannot use', function () {
  this.timeout(30_000);
  let root: string;
  let file: string;

  beforeEach(async () => {
    root = await tempDir();
    file = join(root, 'flag.png');
    await writeFile(file, 'not a folder');
  });
  afterEach(async () => {
    await chmod(root, 0o755).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  it('--data-dir naming a file: "is a file, not a folder", exit 2', async () => {
    assertUsageError(await runCli(['emulator', ...PORTS, '--data-dir', file]), `the data dir ${file} is a file, not a folder`);
  });

  it('--data-dir inside a file: names the file in the way, exit 2', async () => {
    for (const dir of [join(file, 'sub'), join(file, 'sub', 'deeper')]) {
      assertUsageError(
        await runCli(['emulator', ...PORTS, '--data-dir', dir]),
        `the data dir ${dir} cannot be made: ${file} is a file, not a folder`,
      );
    }
  });

  it('--data-dir where it may not write: "permission denied", exit 2', async function () {
    const asRoot = process.getuid?.() === 0;
    if (asRoot && spawnSync('setpriv', ['--version']).status !== 0) this.skip();
    // User 65534 must be able to read this checkout (a clone under a 0700 folder is closed to it): else nothing to test.
    const [setpriv, ...ids] = NOBODY as [string, ...string[]];
    if (asRoot && spawnSync(setpriv, [...ids, process.execPath, ...SOURCE_FLAGS, '-e', '0']).status !== 0) this.skip();
    const run = (args: readonly string[]) => runCli(args, asRoot ? NOBODY : []);
    const readOnly = join(root, 'ro');
    await mkdir(readOnly);
    await chmod(readOnly, 0o555);
    await chmod(root, 0o755); // mkdtemp's 0700 would keep user 65534 out of it altogether
    assertUsageError(
      await run(['emulator', ...PORTS, '--data-dir', join(readOnly, 'sub')]),
      `the data dir ${join(readOnly, 'sub')} cannot be made (permission denied)`,
    );
    assertUsageError(
      await run(['emulator', ...PORTS, '--data-dir', readOnly]),
      `the data dir ${readOnly} is not writable (permission denied)`,
    );
  });

  it('--fixtures naming a folder that does not exist: exit 2, no [NOT_FOUND], the data dir untouched', async () => {
    const dataDir = join(root, 'data');
    for (const fixtures of [join(root, 'nodir'), join(file, 'x')]) {
      assertUsageError(
        await runCli(['emulator', ...PORTS, '--data-dir', dataDir, '--fixtures', fixtures]),
        `the fixtures folder ${fixtures} does not exist`,
      );
    }
    assert.ok(!existsSync(dataDir), 'the data dir was not made');
  });

  it('--fixtures naming a file, or holding a misnamed fixture: exit 2', async () => {
    const dataDir = join(root, 'data');
    assertUsageError(
      await runCli(['emulator', ...PORTS, '--data-dir', dataDir, '--fixtures', file]),
      `the fixtures folder ${file} is a file, not a folder`,
    );
    const fixtures = join(root, 'fixtures');
    await mkdir(fixtures);
    await writeFile(join(fixtures, 'cat.json'), '{}');
    assertUsageError(
      await runCli(['emulator', ...PORTS, '--data-dir', dataDir, '--fixtures', fixtures]),
      `fixture ${join(fixtures, 'cat.json')}: the name must be <sha256 hex of the image bytes>.json or <sha256>-<page>.json`,
    );
    assert.ok(!existsSync(dataDir), 'the data dir was not made');
  });

  it('startEmulator rejects with EmulatorOptionError in the same words', async () => {
    const quiet = { grpcPort: 0, httpPort: 0, log: () => undefined };
    const cases: Array<[Parameters<typeof startEmulator>[0], 'dataDir' | 'fixturesDir', string]> = [
      [{ ...quiet, dataDir: file }, 'dataDir', `the data dir ${file} is a file, not a folder`],
      [
        { ...quiet, dataDir: join(file, 'sub') },
        'dataDir',
        `the data dir ${join(file, 'sub')} cannot be made: ${file} is a file, not a folder`,
      ],
      [
        { ...quiet, dataDir: join(root, 'data'), fixturesDir: join(root, 'nodir') },
        'fixturesDir',
        `the fixtures folder ${join(root, 'nodir')} does not exist`,
      ],
      [{ ...quiet, dataDir: join(root, 'data'), fixturesDir: file }, 'fixturesDir', `the fixtures folder ${file} is a file, not a folder`],
    ];
    for (const [options, option, message] of cases) {
      await assert.rejects(startEmulator(options), (err: unknown) => {
        assert.ok(err instanceof EmulatorOptionError, String(err));
        assert.equal(err.name, 'EmulatorOptionError');
        assert.equal(err.option, option);
        assert.equal(err.message, message);
        return true;
      });
    }
    assert.ok(!existsSync(join(root, 'data')), 'the data dir was not made');
  });
});
