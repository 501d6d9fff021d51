/**
 * google-auth-library credentials for Google's real endpoints (Node only).
 * Loaded lazily, so calls to the emulator never load or consult it.
 */

import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import type { TokenProvider } from './credentials.js';
import { VISION_SCOPES } from './endpoint.js';

/** Options of {@link googleAuthTokenProvider}. */
export interface GoogleAuthOptions {
  /** OAuth scopes; default the Vision scopes (docs/calls.md, "Credentials"). */
  readonly scopes?: readonly string[];
  /** A service-account key file, instead of application default credentials. */
  readonly keyFilename?: string;
}

/**
 * A token provider backed by google-auth-library's `GoogleAuth`
 * (application default credentials), created on first use and cached.
 */
export function googleAuthTokenProvider(options: GoogleAuthOptions = {}): TokenProvider {
  let auth: Promise<{ getAccessToken(): Promise<string | null | undefined> }> | undefined;
  return async () => {
    auth ??= import('google-auth-library').then(
      ({ GoogleAuth }) =>
        new GoogleAuth({
          scopes: [...(options.scopes ?? VISION_SCOPES)],
          ...(options.keyFilename === undefined ? {} : { keyFilename: options.keyFilename }),
        }),
    );
    const token = await (await auth).getAccessToken();
    if (!token) throw new VisionError(codes.UNAUTHENTICATED, 'google-auth-library gave no access token');
    return token;
  };
}
