import * as codes from '../core/codes.js';
import { messageOf, VisionError } from '../core/vision-error.js';

/**
 * Gives an OAuth access token for one attempt of a call (called per attempt,
 * so a provider may cache and refresh). Browser apps pass their own; on Node,
 * `googleAuthTokenProvider()` uses google-auth-library.
 */
export type TokenProvider = (signal: AbortSignal) => Promise<string> | string;

/** How a transport authenticates its calls. Both absent: no credentials (the emulator, loopback). */
export interface Credentials {
  /** An API key, sent as `x-goog-api-key` (or `?key=` on REST when `apiKeyIn` is `query`). */
  readonly apiKey?: string | undefined;
  /** A bearer token, or a function giving one per attempt. */
  readonly token?: TokenProvider | string | undefined;
}

/** The headers of an API key (unless sent in the query) and a bearer token. */
function headersOf(apiKey: string | undefined, token: string | undefined, apiKeyAsHeader = true): Record<string, string> {
  const headers: Record<string, string> = {};
  if (apiKey !== undefined && apiKeyAsHeader) headers['x-goog-api-key'] = apiKey;
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  return headers;
}

/**
 * The auth headers of one attempt: `authorization: Bearer …` and/or
 * `x-goog-api-key`. A failing token provider gives UNAUTHENTICATED (its
 * message kept, never a token).
 */
export async function authHeaders(credentials: Credentials, signal: AbortSignal, apiKeyAsHeader = true): Promise<Record<string, string>> {
  const token = credentials.token;
  let value: string | undefined;
  if (token !== undefined) {
    try {
      value = typeof token === 'string' ? token : await token(signal);
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if (err instanceof VisionError) throw err;
      throw new VisionError(codes.UNAUTHENTICATED, `could not get an access token: ${messageOf(err)}`, {
        cause: err,
      });
    }
    if (typeof value !== 'string' || value === '') {
      throw new VisionError(codes.UNAUTHENTICATED, 'the token provider gave no access token');
    }
  }
  return headersOf(credentials.apiKey, value, apiKeyAsHeader);
}

/**
 * The auth headers of every attempt when they do not change (the gRPC
 * transport works them out once): credentials without a token provider (an
 * API key, a fixed token, or nothing), as {@link authHeaders} gives them. Undefined
 * for a token provider, or for a fixed token {@link authHeaders} refuses (it
 * is then called per attempt, to reject the call).
 */
export function fixedAuthHeaders(credentials: Credentials): Record<string, string> | undefined {
  const token = credentials.token;
  if (token !== undefined && (typeof token !== 'string' || token === '')) return undefined;
  return headersOf(credentials.apiKey, token);
}

/** The secret strings of credentials (to scrub from anything that could be shown). */
export function secretsOf(credentials: Credentials, headers: Readonly<Record<string, string>>): string[] {
  const out: string[] = [];
  if (credentials.apiKey) out.push(credentials.apiKey);
  if (typeof credentials.token === 'string' && credentials.token) out.push(credentials.token);
  const auth = headers['authorization'];
  if (auth !== undefined) {
    out.push(auth);
    const bare = auth.replace(/^Bearer\s+/i, '');
    if (bare) out.push(bare);
  }
  return out.filter((s) => s.length >= 4);
}
