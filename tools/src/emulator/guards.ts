/**
 * What runs before every API call on both transports: the `--auth-token`
 * check (bearer token or API key; constant-time; never echoed), injected
 * faults (`--fault-rate`: transient UNAVAILABLE before any work;
 * `--fault-latency-ms`: added latency), and call counting.
 */
import { timingSafeEqual } from 'node:crypto';
import { Code, VisionError } from 'vision-kit';
import type { Interceptor } from 'vision-kit/serving';
import type { EmulatorKnobs, EmulatorStats } from './knobs.js';
import { sleep } from './time.js';

/** The credential a request carries: `Authorization: Bearer T`, `x-goog-api-key: T` or `?key=T`. */
export function credentialsOf(headers: Readonly<Record<string, string | string[] | undefined>>, query?: URLSearchParams): string[] {
  const out: string[] = [];
  const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
  const auth = first(headers['authorization']);
  const m = auth ? /^\s*Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  if (m) out.push(m[1]!);
  const key = first(headers['x-goog-api-key']);
  if (key) out.push(key.trim());
  for (const name of ['key', '$key']) {
    const q = query?.get(name);
    if (q) out.push(q);
  }
  return out;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when no token is required or one of the request's credentials is the token. */
export function isAuthorized(token: string | undefined, credentials: readonly string[]): boolean {
  if (!token) return true;
  return credentials.some((c) => same(c, token));
}

/** The error for a missing or wrong credential (never names the credential given). */
export function unauthenticated(): VisionError {
  return new VisionError(
    Code.UNAUTHENTICATED,
    'Request is missing a valid authentication credential: this emulator was started with --auth-token; send "Authorization: Bearer <token>", "x-goog-api-key: <token>" or ?key=<token>.',
    { httpStatus: 401 },
  );
}

/** gRPC's auth check (REST checks at the HTTP layer, for every route). */
export function authInterceptor(knobs: EmulatorKnobs): Interceptor {
  return async (call, next) => {
    if (call.ctx.transport === 'grpc' && !isAuthorized(knobs.authToken, credentialsOf(call.ctx.headers))) throw unauthenticated();
    return next();
  };
}

/** A seeded random source in [0, 1) (mulberry32), or Math.random without a seed. */
export function randomSource(seed?: number): () => number {
  if (seed === undefined) return Math.random;
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts calls, adds latency and injects transient faults before the handler runs. */
export function faultInterceptor(knobs: EmulatorKnobs, stats: EmulatorStats, random: () => number): Interceptor {
  return async (call, next) => {
    const key = `${call.service}/${call.method}`;
    stats.calls[key] = (stats.calls[key] ?? 0) + 1;
    if (knobs.faultLatencyMs > 0) await sleep(knobs.faultLatencyMs, call.ctx.signal);
    if (knobs.faultRate > 0 && random() < knobs.faultRate) {
      stats.faultsInjected++;
      throw new VisionError(Code.UNAVAILABLE, 'transient fault injected by the emulator (--fault-rate); retry the call', {
        details: [{ type: 'google.rpc.RetryInfo', value: { retryDelay: { seconds: '0', nanos: 100_000_000 } } }],
      });
    }
    return next();
  };
}
