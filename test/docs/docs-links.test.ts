/**
 * The repository's docs hold together: every relative link in every
 * tracked Markdown file reaches a tracked file or folder (and an `#anchor`
 * into a Markdown file reaches one of its headings, by GitHub's slug
 * rules), and no tracked file cites a document the repository does not hold
 * or carries one of our tracker's labels (CONTRIBUTING.md, "Conventions").
 * The readers are checked on small planted cases first, so a reader that
 * finds nothing cannot pass for a clean repository.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { OUTSIDE_DOCUMENTS, outsideDocumentCitations, trackerLabels } from './support/citations.js';
import { githubSlug, isExternal, markdownAnchors, markdownLinks } from './support/markdown-links.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Generated trees: their comments are googleapis' and the generator's, never edited by hand. */
const GENERATED = ['proto/', 'gen/', 'test/gen/'];

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
}

function readText(file: string): string | undefined {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return text.includes('\0') ? undefined : text;
}

describe('docs: links and citations', () => {
  const files = trackedFiles();
  const tracked = new Set(files);
  const folders = new Set(
    files.flatMap((f) =>
      f
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
    ),
  );
  const markdown = files.filter((f) => f.endsWith('.md'));
  const anchorsOf = new Map<string, Set<string>>();
  const anchors = (file: string) => {
    let found = anchorsOf.get(file);
    if (!found) anchorsOf.set(file, (found = markdownAnchors(readFileSync(join(ROOT, file), 'utf8'))));
    return found;
  };

  describe('the readers', () => {
    it('GitHub slugs: lower case, punctuation dropped, spaces to hyphens', () => {
      assert.equal(
        githubSlug('Connections: fail fast, REST fallback, proxies, private CAs'),
        'connections-fail-fast-rest-fallback-proxies-private-cas',
      );
      assert.equal(githubSlug('Any Google API, or your own protos'), 'any-google-api-or-your-own-protos');
      assert.equal(githubSlug('`src/lro/` — the poller'), 'srclro--the-poller');
      assert.equal(githubSlug('How to add a [test proto](x.md) *fast*'), 'how-to-add-a-test-proto-fast');
      assert.equal(githubSlug('snake_case and v1p4beta1'), 'snake_case-and-v1p4beta1');
    });

    it('anchors: headings (repeats numbered) and <a id>, never headings inside code', () => {
      const md = ['# Title', '## Setup', 'text', '## Setup', '<a id="custom"></a>', '```sh', '# not a heading', '```'].join('\n');
      assert.deepEqual([...markdownAnchors(md)].sort(), ['custom', 'setup', 'setup-1', 'title']);
    });

    it('links: inline, images, references, with line numbers; none from code', () => {
      const md = [
        'See [the guide](CONTRIBUTING.md#setup) and ![a picture](docs/a.png "title").',
        '`[not](a-link.md)`',
        '```',
        '[nor](this.md)',
        '```',
        '[ref]: docs/poller.md',
        '[out](https://example.invalid/x) [mail](mailto:x@example.invalid) [here](#title)',
      ].join('\n');
      assert.deepEqual(
        markdownLinks(md).map((l) => `${l.line}:${l.target}`),
        [
          '1:CONTRIBUTING.md#setup',
          '1:docs/a.png',
          '7:https://example.invalid/x',
          '7:mailto:x@example.invalid',
          '7:#title',
          '6:docs/poller.md',
        ],
      );
      assert.equal(isExternal('https://example.invalid'), true);
      assert.equal(isExternal('mailto:x@example.invalid'), true);
      assert.equal(isExternal('docs/calls.md'), false);
    });

    it('tracker labels are found; citations of other projects are not', () => {
      const h = '#';
      const labelled = [
        `// Limits (${h}12)`,
        `/** The annotators of ${h}7. */`,
        `* Faults (issue ${h}10): …`,
        `see issue-${h}4`,
        ` * issue ${'1'}4: what`,
      ];
      for (const line of labelled) assert.equal(trackerLabels(line).length, 1, line);
      const upstream = [
        `grpc-gateway ${h}4134, ${h}2239: FieldMask`,
        `gax PR ${h}1103: a capitalised name`,
        `array holding either (google-gax issue 1303)`,
        `golang/protobuf ${h}883, ${h}1219: durations`,
        'color: #1a73e8;',
        'page 3 of 10, HTTP 404',
      ];
      for (const line of upstream) assert.deepEqual(trackerLabels(line), [], line);
    });

    it('outside documents are found by name', () => {
      for (const name of OUTSIDE_DOCUMENTS) assert.deepEqual(outsideDocumentCitations(`a\nsee ${name} here`), [{ line: 2, text: name }]);
      assert.deepEqual(outsideDocumentCitations('docs/poller.md and docs/transcoding.md'), []);
    });
  });

  it('finds the Markdown files to check', () => {
    for (const file of ['README.md', 'CONTRIBUTING.md', 'tools/README.md']) assert.ok(markdown.includes(file), file);
  });

  it('every relative link in a tracked Markdown file resolves, anchors included', () => {
    const broken: string[] = [];
    for (const file of markdown) {
      for (const { target, line } of markdownLinks(readFileSync(join(ROOT, file), 'utf8'))) {
        if (isExternal(target)) continue;
        const hash = target.indexOf('#');
        const pathPart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
        const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
        const resolved =
          pathPart === '' ? file : posix.normalize(pathPart.startsWith('/') ? pathPart.slice(1) : posix.join(dirname(file), pathPart));
        const where = `${file}:${line}: ${target}`;
        const key = resolved.replace(/\/$/, '');
        if (key.startsWith('..') || !(tracked.has(key) || folders.has(key))) {
          broken.push(`${where} (no tracked file ${resolved})`);
          continue;
        }
        if (anchor !== undefined && anchor !== '' && key.endsWith('.md') && !anchors(key).has(anchor)) {
          broken.push(`${where} (no heading #${anchor} in ${key})`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('no tracked file cites a document outside the repository', () => {
    const found: string[] = [];
    for (const file of files) {
      const text = readText(file);
      if (text === undefined) continue;
      for (const c of outsideDocumentCitations(text)) found.push(`${file}:${c.line}: ${c.text}`);
    }
    assert.deepEqual(found, []);
  });

  it('no tracked file outside the generated trees carries a tracker label', () => {
    const found: string[] = [];
    for (const file of files) {
      if (GENERATED.some((g) => file.startsWith(g))) continue;
      const text = readText(file);
      if (text === undefined) continue;
      for (const c of trackerLabels(text)) found.push(`${file}:${c.line}: ${c.text}`);
    }
    assert.deepEqual(found, []);
  });
});
