// The root template `/` in both directions. Source of the rule: grpc-gateway
// and Envoy's transcoder both accept `/` as a template of no segments that
// matches the path `/` only (http.proto's grammar, `Template = "/" Segments`,
// does not spell the empty case out); a user's own service with `get: "/"`
// (the test-only visionkit.testing.v1.Root, test/protos/…/root.proto, through
// `npm run gen`) is served by the gateway and called by the REST and gRPC
// transports.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, createGrpcTransport, createRestTransport, serviceDescriptor, type Transport } from 'vision-kit';
import { createGrpcHost, createRestHandler, defineService, type GrpcHost } from 'vision-kit/serving';
import { captureSegments, createGateway, matchPath, parsePathTemplate, TemplateError, transcodeRequest } from 'vision-kit/transcoding';
import { RouteTrie } from '../../src/transcoding/route-trie.js';
import { ENUMS, MESSAGES } from '../gen/schema/messages.js';
import { SERVICES as TEST_SERVICES } from '../gen/schema/services.js';
import { RootDefinition } from '../gen/vision_kit/testing/v1/root.js';
import { ALL_SERVICES, ROOT } from './support.js';

const getRoot = TEST_SERVICES[ROOT]!.find((m) => m.name === 'GetRoot')!;

describe('transcoding: the root template "/"', () => {
  describe('parsePathTemplate', () => {
    it('parses "/" as a template of no segments, no variables and no verb', () => {
      const t = parsePathTemplate('/');
      assert.equal(t.text, '/');
      assert.deepEqual(t.segments, []);
      assert.deepEqual(t.variables, []);
      assert.equal(t.verb, undefined);
      assert.equal(t.deepIndex, -1);
    });

    it('matches the path "/" only', () => {
      const t = parsePathTemplate('/');
      assert.deepEqual(matchPath(t, '/'), {});
      for (const path of ['', '//', '/a', '/a/', '/:verb', '/%2F', '/.', 'a']) assert.equal(matchPath(t, path), undefined, path);
    });

    it('expands to "/" (and ignores values it has no variables for)', () => {
      const t = parsePathTemplate('/');
      assert.equal(t.tryExpand([]), '/');
      assert.equal(t.expand({}), '/');
      assert.equal(t.expand({ name: 'x' }), '/');
    });

    it('captures nothing from no segments, and no other template captures from them', () => {
      assert.deepEqual(captureSegments(parsePathTemplate('/'), [], []), []);
      assert.equal(captureSegments(parsePathTemplate('/'), [''], ['']), undefined, 'one empty segment is not the root');
      for (const other of ['/a', '/{name}', '/{name=**}', '/a/**']) {
        assert.equal(captureSegments(parsePathTemplate(other), [], []), undefined, other);
        assert.equal(matchPath(parsePathTemplate(other), '/'), undefined, other);
      }
    });

    it('still refuses the empty template, "//", a trailing "/" and an empty segment before a verb', () => {
      for (const text of ['', '//', '/a/', '/:verb', '/:', '//a']) {
        assert.throws(
          () => parsePathTemplate(text),
          (e: unknown) => e instanceof TemplateError,
          text,
        );
      }
    });
  });

  describe('RouteTrie', () => {
    it('routes no segments to the root template and nothing else there', () => {
      const trie = new RouteTrie<string>();
      trie.insert('GET', parsePathTemplate('/'), 'root', 'Root');
      trie.insert('GET', parsePathTemplate('/{name}'), 'one', 'One');
      trie.insert('POST', parsePathTemplate('/{name=**}'), 'deep', 'Deep');
      assert.equal(trie.find('GET', [], '').entry, 'root');
      assert.equal(trie.find('GET', ['a'], '').entry, 'one');
      assert.equal(trie.find('GET', [''], '').entry, undefined, 'an empty segment matches nothing');
      const post = trie.find('POST', [], '');
      assert.equal(post.entry, undefined, '"**" needs at least one segment');
      assert.deepEqual([...post.allowed], ['GET']);
    });

    it('refuses a second root template of the same method', () => {
      const trie = new RouteTrie<string>();
      trie.insert('GET', parsePathTemplate('/'), 'a', 'A');
      assert.throws(() => trie.insert('GET', parsePathTemplate('/'), 'b', 'B'), TemplateError);
      trie.insert('DELETE', parsePathTemplate('/'), 'c', 'C');
    });
  });

  describe('gateway and transcodeRequest', () => {
    const gateway = createGateway({ ...ALL_SERVICES, [ROOT]: TEST_SERVICES[ROOT]! });

    it('routes GET / (with a query) to GetRoot; other methods are 405, other paths not the root', () => {
      const m = gateway.match('GET', '/');
      assert.ok('route' in m, JSON.stringify(m));
      assert.equal(m.route.method.name, 'GetRoot');
      assert.deepEqual(m.vars, {});
      const q = gateway.match('GET', '/?greeting=hi');
      assert.ok('route' in q);
      assert.equal(q.route.method.name, 'GetRoot');
      const post = gateway.match('POST', '/');
      assert.ok(!('route' in post));
      assert.equal(post.status, 405);
      assert.deepEqual(post.allow, ['GET']);
      for (const path of ['//', '/x']) {
        const miss = gateway.match('GET', path);
        assert.ok(!('route' in miss) || miss.route.method.name !== 'GetRoot', path);
      }
      const empty = gateway.match('GET', '//');
      assert.ok(!('route' in empty));
      assert.equal(empty.status, 404);
    });

    it('transcodes a GetRoot request to GET / with the fields in the query, and the gateway reads it back', () => {
      const t = transcodeRequest(getRoot, { greeting: 'hello world', depth: 3 });
      assert.equal(t.method, 'GET');
      assert.equal(t.path, '/');
      assert.equal(t.body, undefined);
      const params = new URLSearchParams(t.query);
      assert.equal(params.get('greeting'), 'hello world');
      assert.equal(params.get('depth'), '3');
      const m = gateway.match(t.method, t.path);
      assert.ok('route' in m);
      assert.deepEqual(gateway.decodeRequest(m, t.query, t.body ?? '').request, { greeting: 'hello world', depth: 3 });
    });
  });

  describe('a service of our own with get: "/", served on 127.0.0.1 and called over both transports', () => {
    const Root = serviceDescriptor<typeof RootDefinition>(ROOT, { services: TEST_SERVICES, messages: MESSAGES, enums: ENUMS });
    const impl = defineService(RootDefinition, {
      async GetRoot(req, ctx) {
        return { greeting: req.greeting, depth: req.depth + 1, servedBy: ctx.transport };
      },
    });
    let host: GrpcHost;
    let server: http.Server;
    let baseUrl = '';
    const transports = {} as Record<'grpc' | 'rest', Transport>;

    before(async () => {
      host = createGrpcHost([impl]);
      const port = await host.listen('127.0.0.1', 0);
      const rest = createRestHandler([impl], { schema: TEST_SERVICES });
      server = http.createServer((req, res) => void rest.handle(req, res));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      transports.grpc = createGrpcTransport({ endpoint: `127.0.0.1:${port}`, definitions: [RootDefinition] });
      transports.rest = createRestTransport({ baseUrl });
    });
    after(async () => {
      for (const t of Object.values(transports)) t.close();
      await host.close(100);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    for (const kind of ['grpc', 'rest'] as const) {
      it(`calls GetRoot over ${kind}`, async () => {
        const client = createClient(Root, transports[kind]);
        assert.deepEqual(await client.getRoot({ greeting: 'hi', depth: 1 }), { greeting: 'hi', depth: 2, servedBy: kind });
      });
    }

    it('answers GET / over plain HTTP, and 404 for a path with an empty segment', async () => {
      const res = await fetch(`${baseUrl}/?greeting=plain&depth=4`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { greeting: 'plain', depth: 5, servedBy: 'rest' });
      const miss = await fetch(`${baseUrl}//`);
      assert.equal(miss.status, 404);
      await miss.arrayBuffer();
    });
  });
});
