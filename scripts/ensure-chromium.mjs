// `npm test`'s pretest step: the browser tests (test/browser) drive Debian's
// /usr/bin/chromium. When it is missing and this runs as root with apt-get,
// install Debian's `chromium`; otherwise say how, and let the browser test
// fail with the same advice (the other tests still run).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (existsSync(CHROMIUM)) process.exit(0);

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!root || !hasApt) {
  process.stderr.write(`pretest: ${CHROMIUM} is missing; the browser tests need Debian's chromium: sudo apt-get install -y chromium\n`);
  process.exit(0);
}
process.stderr.write(`pretest: ${CHROMIUM} is missing; installing Debian's chromium with apt-get\n`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['update', '-qq'],
  ['install', '-y', '-qq', '--no-install-recommends', 'chromium'],
]) {
  const run = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (run.status !== 0) {
    process.stderr.write(`pretest: apt-get ${args.join(' ')} failed (exit ${run.status}); the browser tests will fail\n`);
    process.exit(0);
  }
}
process.stderr.write(existsSync(CHROMIUM) ? `pretest: installed ${CHROMIUM}\n` : `pretest: apt-get ran but ${CHROMIUM} is still missing\n`);
