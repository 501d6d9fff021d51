/**
 * Google's official client, `@google-cloud/vision` 6.1.0 (google-gax), set up
 * the way a careful user points it at a local server, and never allowed to
 * look for credentials: over gRPC with insecure channel credentials
 * (`sslCreds`, so gax never asks google-auth-library for a client), and in
 * fallback (REST) mode with an explicit OAuth2 client holding a fixed access
 * token (gax then never builds a GoogleAuth). Set METADATA_SERVER_DETECTION=none
 * before loading this too (the harness's children do).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A gax client method: resolves to `[response, …]`. */
type GaxMethod = (request: object, options?: object) => Promise<unknown[]>;

/** The parts of a gax Operation the benchmark uses. */
export interface GaxOperation {
  readonly name: string;
  promise(): Promise<unknown[]>;
}

/** The parts of the v1p4beta1 ImageAnnotatorClient the benchmark uses. */
export interface GaxImageAnnotatorClient {
  batchAnnotateImages: GaxMethod;
  asyncBatchAnnotateImages(request: object, options?: object): Promise<[GaxOperation, ...unknown[]]>;
  close(): Promise<void>;
}

/** The parts of the v1p4beta1 ProductSearchClient the benchmark uses. */
export interface GaxProductSearchClient {
  getProduct: GaxMethod;
  close(): Promise<void>;
}

interface VisionModule {
  v1p4beta1: {
    ImageAnnotatorClient: new (options: object) => GaxImageAnnotatorClient;
    ProductSearchClient: new (options: object) => GaxProductSearchClient;
  };
}

interface GaxModule {
  grpc: { credentials: { createInsecure(): unknown } };
  googleAuthLibrary: { OAuth2Client: new () => { setCredentials(c: object): void } };
}

/** Where the official clients connect. */
export interface OfficialEndpoint {
  /** `grpc`: `port` is the gRPC port; `rest`: fallback mode over plain HTTP to `port`. */
  readonly transport: 'grpc' | 'rest';
  readonly port: number;
}

function options(endpoint: OfficialEndpoint): object {
  if (process.env.METADATA_SERVER_DETECTION !== 'none')
    throw new Error('set METADATA_SERVER_DETECTION=none before making an official client');
  const gax = require('google-gax') as GaxModule;
  if (endpoint.transport === 'grpc') {
    return { servicePath: '127.0.0.1', port: endpoint.port, sslCreds: gax.grpc.credentials.createInsecure() };
  }
  // gax's own copy of google-auth-library, so that its fallback stub accepts the client.
  const authClient = new gax.googleAuthLibrary.OAuth2Client();
  authClient.setCredentials({ access_token: 'vision-kit-bench', expiry_date: Date.now() + 24 * 3600 * 1000 });
  return { fallback: true, apiEndpoint: '127.0.0.1', port: endpoint.port, protocol: 'http', authClient };
}

/** The official ImageAnnotator client (v1p4beta1) for `endpoint`. */
export function officialImageAnnotator(endpoint: OfficialEndpoint): GaxImageAnnotatorClient {
  const vision = require('@google-cloud/vision') as VisionModule;
  return new vision.v1p4beta1.ImageAnnotatorClient(options(endpoint));
}

/** The official ProductSearch client (v1p4beta1) for `endpoint`. */
export function officialProductSearch(endpoint: OfficialEndpoint): GaxProductSearchClient {
  const vision = require('@google-cloud/vision') as VisionModule;
  return new vision.v1p4beta1.ProductSearchClient(options(endpoint));
}
