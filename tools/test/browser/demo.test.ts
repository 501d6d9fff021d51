/**
 * The emulator's demo page in Debian's headless Chromium (playwright-core):
 * a person picks images, the page uploads them through the storage API,
 * runs asyncBatchAnnotateImages over REST, follows the poller, reads the
 * output files back and shows swatches, crop hints and the files it read.
 * Judged against the files on disk and the requests the page really made;
 * no console error and no failed request allowed.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type RunningEmulator, startEmulator } from '../../src/emulator/emulator.js';

const tools = fileURLToPath(new URL('../..', import.meta.url));
const root = join(tools, '..');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What a page did that a clean run must not do. */
interface Trouble {
  readonly consoleErrors: string[];
  readonly failedRequests: string[];
  /** URLs of finished requests with their status. */
  readonly finished: { url: string; status: number }[];
}

function watch(page: Page): Trouble {
  const t: Trouble = { consoleErrors: [], failedRequests: [], finished: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') t.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => t.consoleErrors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => t.failedRequests.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText ?? 'failed'}`));
  page.on('requestfinished', (req) => {
    void req.response().then((res) => {
      const status = res?.status() ?? 0;
      t.finished.push({ url: req.url(), status });
      if (status >= 400) t.failedRequests.push(`${req.method()} ${req.url()}: HTTP ${status}`);
    });
  });
  return t;
}

/** The output files under `DATA_DIR/gcs/BUCKET/` (one run folder), object name → size. */
async function outputsOnDisk(dataDir: string, bucket: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const base = join(dataDir, 'gcs', bucket);
  for (const run of await readdir(base)) {
    for (const name of await readdir(join(base, run))) {
      if (/^output-\d+-to-\d+\.json$/.test(name)) out.set(`${run}/${name}`, (await stat(join(base, run, name))).size);
    }
  }
  return out;
}

describe('browser: the demo page in headless Chromium', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let dataDir: string;
  let tmp: string;
  let context: BrowserContext;

  before(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: install Debian's chromium (as root: apt-get install -y chromium; \`npm test\` does it in its pretest step when run as root)`,
      );
    }
    for (const file of ['index.html', 'vision-kit.demo.js', 'favicon.svg']) {
      if (!existsSync(join(tools, 'dist/web', file))) throw new Error(`tools/dist/web/${file} is missing: run \`npm run build\` first`);
    }
    tmp = await mkdtemp(join(tmpdir(), 'vk-demo-'));
    dataDir = join(tmp, 'data');
    emulator = await startEmulator({ grpcPort: 0, httpPort: 0, dataDir, opStepMs: 20, log: () => undefined });
    context = await chromium.launchPersistentContext(join(tmp, 'profile'), { executablePath: CHROMIUM, headless: true, args: ARGS });
  });

  after(async () => {
    await context?.close();
    await emulator?.stop();
    if (tmp) await rm(join(tmp, 'profile'), { recursive: true, force: true });
  });

  it('uploads picked images, waits for the operation and shows swatches, crop hints and the output files it read', async () => {
    const page = await context.newPage();
    const trouble = watch(page);
    const response = await page.goto(`${emulator.httpUrl}/`);
    assert.equal(response?.status(), 200);
    await page.waitForSelector('#status[data-state="ready"]');

    await page.fill('#batch', '1');
    await page.setInputFiles('#files', [join(root, 'samples/flag.png'), join(root, 'samples/sunset.jpg')]);
    // Record every status the page shows, to see the poller's progress.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenStatus: string[] }).seenStatus = seen;
      const status = document.getElementById('status')!;
      new MutationObserver(() => seen.push(`${status.dataset['state']}: ${status.textContent}`)).observe(status, {
        attributes: true,
        childList: true,
        subtree: true,
      });
    });
    await page.click('#run');
    await page.waitForSelector('#status[data-state="done"], #status[data-state="error"]', { timeout: 20_000 });
    const status = await page.textContent('#status');
    const seen = await page.evaluate(() => (window as unknown as { seenStatus: string[] }).seenStatus);
    assert.ok(
      seen.some((s) => s.startsWith('uploading: ')),
      seen.join('\n'),
    );
    assert.ok(
      seen.some((s) => /^running: operations\/\S+: (CREATED|RUNNING|DONE) · \d\/2 output files/.test(s)),
      seen.join('\n'),
    );
    assert.equal(await page.getAttribute('#status', 'data-state'), 'done', `status: ${status}`);

    // Swatches: the flag is 75 % red and 25 % blue.
    const flagSwatches = await page.$$eval('article.card[data-name="flag.png"] li.swatch', (items) =>
      items.map((li) => ({
        hex: li.getAttribute('data-hex') ?? '',
        fraction: Number(li.getAttribute('data-fraction')),
        text: li.textContent ?? '',
      })),
    );
    assert.equal(flagSwatches.length, 2, JSON.stringify(flagSwatches));
    assert.match(flagSwatches[0]!.text, /red/);
    assert.ok(Math.abs(flagSwatches[0]!.fraction - 0.75) < 0.02, JSON.stringify(flagSwatches));
    assert.match(flagSwatches[1]!.text, /blue/);
    assert.ok(Math.abs(flagSwatches[1]!.fraction - 0.25) < 0.02, JSON.stringify(flagSwatches));
    const chip = await page.$eval('article.card[data-name="flag.png"] li.swatch .chip', (e) => getComputedStyle(e).backgroundColor);
    assert.equal(chip, 'rgb(216, 30, 30)');
    const sunsetSwatches = await page.$$eval('article.card[data-name="sunset.jpg"] li.swatch', (items) => items.length);
    assert.ok(sunsetSwatches >= 3);

    // Crop hints drawn over each picture, inside the picture.
    for (const name of ['flag.png', 'sunset.jpg']) {
      const drawn = await page.$$eval(`article.card[data-name="${name}"] svg`, (svgs) =>
        svgs.map((s) => ({
          viewBox: s.getAttribute('viewBox') ?? '',
          crops: [...s.querySelectorAll('rect.crop')].map((r) => r.getAttribute('data-crop') ?? ''),
        })),
      );
      assert.equal(drawn.length, 1, name);
      const [, , w, h] = drawn[0]!.viewBox.split(' ').map(Number);
      assert.equal(drawn[0]!.crops.length, 1, name);
      const [l, t, r, b] = drawn[0]!.crops[0]!.split(',').map(Number);
      assert.ok(l! >= 0 && t! >= 0 && r! < w! && b! < h! && r! > l! && b! > t!, `${name}: crop ${drawn[0]!.crops[0]} in ${w}x${h}`);
    }
    assert.deepEqual(await page.$eval('article.card[data-name="flag.png"] svg', (s) => s.getAttribute('viewBox')), '0 0 400 200');

    // The output files the page lists are those on disk, and it downloaded each of them.
    const listed = await page.$$eval('li.output-file', (items) =>
      items.map((li) => ({
        uri: li.getAttribute('data-uri') ?? '',
        object: li.getAttribute('data-object') ?? '',
        bytes: Number(li.getAttribute('data-bytes')),
      })),
    );
    const disk = await outputsOnDisk(dataDir, 'vision-kit-demo');
    assert.equal(disk.size, 2, [...disk.keys()].join(', '));
    assert.deepEqual(listed.map((f) => f.object).sort(), [...disk.keys()].sort());
    for (const f of listed) {
      assert.equal(f.uri, `gs://vision-kit-demo/${f.object}`);
      assert.equal(f.bytes, disk.get(f.object), `${f.object}: size shown = size on disk`);
      const read = trouble.finished.filter((r) => r.url.includes(`/o/${encodeURIComponent(f.object)}?alt=media`) && r.status === 200);
      assert.equal(read.length, 1, `the page downloaded ${f.object} once`);
      const json = JSON.parse(await readFile(join(dataDir, 'gcs', 'vision-kit-demo', f.object), 'utf8')) as { responses: unknown[] };
      assert.equal(json.responses.length, 1);
    }
    assert.match(status ?? '', /2 of 2 images annotated, 2 output files read/);

    const shot = join(tmp, 'demo.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok((await stat(shot)).size > 10_000);
    // Requests settle after the events above; give the last ones a moment before judging.
    await page.waitForLoadState('networkidle');
    assert.deepEqual(trouble.consoleErrors, []);
    assert.deepEqual(trouble.failedRequests, []);
    assert.ok(
      trouble.finished.some((r) => r.url.endsWith('/web/favicon.svg') && r.status === 200),
      'the favicon was served',
    );
    await page.close();
  });

  it('works with --auth-token through ?key= in the page URL (and / without it is refused)', async () => {
    const authDir = join(tmp, 'auth-data');
    const secured = await startEmulator({
      grpcPort: 0,
      httpPort: 0,
      dataDir: authDir,
      opStepMs: 5,
      authToken: 's3cret-token',
      log: () => undefined,
    });
    try {
      assert.equal((await fetch(`${secured.httpUrl}/`)).status, 401);
      assert.equal((await fetch(`${secured.httpUrl}/web/vision-kit.demo.js`)).status, 401);
      const page = await context.newPage();
      const trouble = watch(page);
      await page.goto(`${secured.httpUrl}/?key=s3cret-token`);
      await page.waitForSelector('#status[data-state="ready"]');
      await page.setInputFiles('#files', [
        { name: 'meadow.webp', mimeType: 'image/webp', buffer: await readFile(join(root, 'samples/meadow.webp')) },
        { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') },
      ]);
      await page.click('#run');
      await page.waitForSelector('#status[data-state="done"], #status[data-state="error"]', { timeout: 20_000 });
      const status = (await page.textContent('#status')) ?? '';
      assert.equal(await page.getAttribute('#status', 'data-state'), 'done', status);
      assert.match(status, /1 of 2 images annotated, 1 output file read/);
      assert.equal(await page.$$eval('li.output-file', (l) => l.length), 1);
      assert.ok((await page.$$eval('article.card[data-name="meadow.webp"] li.swatch', (l) => l.length)) >= 3);
      // The image Vision could not read shows its error instead of swatches.
      assert.match(
        (await page.textContent('article.card[data-name="notes.png"] .error')) ?? '',
        /could not annotate this image: requests\[1\]/,
      );
      assert.equal(await page.$$eval('article.card[data-name="notes.png"] li.swatch', (l) => l.length), 0);
      await page.waitForLoadState('networkidle');
      assert.deepEqual(trouble.consoleErrors, []);
      assert.deepEqual(trouble.failedRequests, []);
      await page.close();
    } finally {
      await secured.stop();
    }
  });
});
