/**
 * google-auth-library credentials for Google's real endpoints (Node only).
 * Loaded lazily, so calls to the emulator never load or consult it.
 */

import * as codes from '../core/codes.js';
import { messageOf, VisionError } from '../core/vision-error.js';
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

/**
 * `provider`, whose failure says where the call was going (`endpoint`), why
 * there when it is Google's by default (`byDefault`: no emulator variable
 * set, most often a new shell), and what to do: google-auth-library's own
 * words name neither.
 */
export function withCredentialsHint(provider: TokenProvider, endpoint: string, byDefault: boolean): TokenProvider {
  return async (signal) => {
    try {
      return await provider(signal);
    } catch (err) {
      if (signal.aborted) throw err;
      const why = byDefault
        ? ` (Google's endpoint, used because neither VISION_EMULATOR_HOST nor VISION_EMULATOR_REST is set; for the emulator, start it with \`npx vision-kit emulator\` and export VISION_EMULATOR_HOST=127.0.0.1:8089)`
        : '';
      throw new VisionError(
        codes.UNAUTHENTICATED,
        `could not get an access token for ${endpoint}${why}: ${messageOf(err).replace(/\.$/, '')}. For Google, set up application default ` +
          'credentials (`gcloud auth application-default login`, or GOOGLE_APPLICATION_CREDENTIALS) or give `apiKey` or `token`',
        { cause: err },
      );
    }
  };
}
