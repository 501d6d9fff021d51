/**
 * The proxy rule both transports follow (src/transport/node-proxy.ts), as a
 * table: which variable applies, what no_proxy matches, what is refused.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Code, VisionError } from 'vision-kit';
import { matchesNoProxy, type ProxyTarget, resolveProxy } from '../../src/transport/node-proxy.js';

const TLS_REST: ProxyTarget = { host: 'vision.googleapis.com', port: 443, tls: true, grpc: false };
const PLAIN_REST: ProxyTarget = { host: 'api.example.com', port: 80, tls: false, grpc: false };
const GRPC: ProxyTarget = { host: 'vision.googleapis.com', port: 443, tls: true, grpc: true };

const cases: {
  name: string;
  target: ProxyTarget;
  env: Record<string, string>;
  option?: string | false;
  local?: boolean;
  want: string | undefined;
}[] = [
  { name: 'nothing set: direct', target: TLS_REST, env: {}, want: undefined },
  {
    name: 'https_proxy for a TLS endpoint',
    target: TLS_REST,
    env: { https_proxy: 'http://p:3128' },
    want: 'http://p:3128 (from https_proxy)',
  },
  {
    name: 'HTTPS_PROXY in upper case too',
    target: TLS_REST,
    env: { HTTPS_PROXY: 'http://p:3128' },
    want: 'http://p:3128 (from HTTPS_PROXY)',
  },
  {
    name: 'lower case wins over upper case',
    target: TLS_REST,
    env: { https_proxy: 'http://low:1', HTTPS_PROXY: 'http://up:2' },
    want: 'http://low:1 (from https_proxy)',
  },
  {
    name: 'a TLS endpoint falls back to http_proxy',
    target: TLS_REST,
    env: { http_proxy: 'http://p:8080' },
    want: 'http://p:8080 (from http_proxy)',
  },
  {
    name: 'a plaintext endpoint uses http_proxy',
    target: PLAIN_REST,
    env: { HTTP_PROXY: 'http://p:8080' },
    want: 'http://p:8080 (from HTTP_PROXY)',
  },
  { name: 'a plaintext endpoint ignores https_proxy', target: PLAIN_REST, env: { https_proxy: 'http://p:3128' }, want: undefined },
  { name: 'a bare host:port is http://', target: TLS_REST, env: { https_proxy: 'p:3128' }, want: 'http://p:3128 (from https_proxy)' },
  { name: 'the default port of an http:// proxy', target: TLS_REST, env: { https_proxy: 'http://p' }, want: 'http://p (from https_proxy)' },
  {
    name: 'user info is never shown',
    target: TLS_REST,
    env: { https_proxy: 'http://alice:secret@p:3128' },
    want: 'http://p:3128 (from https_proxy)',
  },
  {
    name: 'gRPC reads grpc_proxy first',
    target: GRPC,
    env: { grpc_proxy: 'http://g:1', https_proxy: 'http://h:2' },
    want: 'http://g:1 (from grpc_proxy)',
  },
  { name: 'REST ignores grpc_proxy', target: TLS_REST, env: { grpc_proxy: 'http://g:1' }, want: undefined },
  {
    name: 'gRPC reads no_grpc_proxy before no_proxy',
    target: GRPC,
    env: { https_proxy: 'http://h:2', no_grpc_proxy: 'googleapis.com', no_proxy: 'other' },
    want: undefined,
  },
  { name: 'no_proxy: a parent domain', target: TLS_REST, env: { https_proxy: 'http://h:2', no_proxy: 'googleapis.com' }, want: undefined },
  { name: 'NO_PROXY in upper case', target: TLS_REST, env: { https_proxy: 'http://h:2', NO_PROXY: '.googleapis.com' }, want: undefined },
  {
    name: 'no_proxy that lists other hosts keeps the proxy',
    target: TLS_REST,
    env: { https_proxy: 'http://h:2', no_proxy: 'example.com,10.0.0.0/8' },
    want: 'http://h:2 (from https_proxy)',
  },
  { name: 'local endpoints never use the variables', target: TLS_REST, env: { https_proxy: 'http://h:2' }, local: true, want: undefined },
  {
    name: 'the option false wins over the variables',
    target: TLS_REST,
    env: { https_proxy: 'http://h:2' },
    option: false,
    want: undefined,
  },
  {
    name: 'an explicit option wins, even for a local endpoint',
    target: TLS_REST,
    env: {},
    option: 'http://o:9',
    local: true,
    want: 'http://o:9 (from proxy)',
  },
  { name: 'an https:// proxy for REST', target: TLS_REST, env: { https_proxy: 'https://p:443' }, want: 'https://p (from https_proxy)' },
  {
    name: 'an empty variable is unset',
    target: TLS_REST,
    env: { https_proxy: ' ', HTTPS_PROXY: 'http://u:1' },
    want: 'http://u:1 (from HTTPS_PROXY)',
  },
];

describe('transport: the proxy rule', () => {
  for (const c of cases) {
    it(c.name, () => {
      const got = resolveProxy('test', c.option, c.target, c.local ?? false, c.env);
      assert.equal(got?.shown, c.want);
    });
  }

  const refused: { name: string; env: Record<string, string>; target: ProxyTarget; why: RegExp }[] = [
    {
      name: 'a proxy URL that is not one',
      env: { https_proxy: 'http://' },
      target: TLS_REST,
      why: /https_proxy "http:\/\/" is not a proxy URL/,
    },
    { name: 'a proxy URL with a path', env: { https_proxy: 'http://p:1/x' }, target: TLS_REST, why: /not a proxy URL/ },
    { name: 'another scheme', env: { https_proxy: 'socks5://p:1080' }, target: TLS_REST, why: /http:\/\/ or https:\/\// },
    {
      name: 'an https:// proxy for gRPC',
      env: { https_proxy: 'https://p:443' },
      target: GRPC,
      why: /gRPC tunnels only through http:\/\/ proxies/,
    },
    { name: 'a bad URL without showing its password', env: { https_proxy: 'ftp://bob:pw-77@p' }, target: TLS_REST, why: /"ftp:\/\/…@p"/ },
  ];
  for (const r of refused) {
    it(`refuses ${r.name} with INVALID_ARGUMENT naming the variable`, () => {
      assert.throws(
        () => resolveProxy('createRestTransport', undefined, r.target, false, r.env),
        (e: unknown) =>
          e instanceof VisionError && e.code === Code.INVALID_ARGUMENT && r.why.test(e.message) && !e.message.includes('pw-77'),
      );
    });
  }

  const noProxy: [string, string, number, boolean][] = [
    ['*', 'anything.example', 443, true],
    ['example.com', 'example.com', 443, true],
    ['example.com', 'api.example.com', 443, true],
    ['example.com', 'notexample.com', 443, false],
    ['.example.com', 'example.com', 443, true],
    ['*.example.com', 'a.b.example.com', 443, true],
    ['EXAMPLE.com', 'Api.Example.COM', 443, true],
    ['example.com:443', 'example.com', 443, true],
    ['example.com:8443', 'example.com', 443, false],
    ['10.0.0.0/8', '10.1.2.3', 443, true],
    ['10.0.0.0/8', '11.1.2.3', 443, false],
    ['10.0.0.0/8', 'ten.example', 443, false],
    ['192.168.1.7', '192.168.1.7', 443, true],
    ['192.168.1.7', '192.168.1.70', 443, false],
    ['fd00::/8', 'fd12::1', 443, true],
    ['[2001:db8::1]:443', '2001:db8::1', 443, true],
    ['a.test b.test,, c.test', 'b.test', 443, true],
    ['', 'example.com', 443, false],
    ['10.0.0.0/99', '10.0.0.1', 443, false],
  ];
  for (const [list, host, port, want] of noProxy) {
    it(`no_proxy "${list}" ${want ? 'sends' : 'does not send'} ${host}:${port} direct`, () => {
      assert.equal(matchesNoProxy(host, port, list), want);
    });
  }

  it('no_proxy: a host matches itself and every parent domain, with or without a leading dot; a longer label never', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
    fc.assert(
      fc.property(fc.array(label, { minLength: 2, maxLength: 5 }), fc.nat({ max: 3 }), fc.boolean(), (labels, cut, dot) => {
        const host = labels.join('.');
        const parent = labels.slice(Math.min(cut, labels.length - 1)).join('.');
        assert.ok(matchesNoProxy(host, 443, `${dot ? '.' : ''}${parent}`));
        assert.ok(!matchesNoProxy(`x${host}`, 443, host));
      }),
      { seed: 17, numRuns: 300 },
    );
  });
});
