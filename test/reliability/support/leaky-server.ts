/**
 * A hostile (or careless) server for credential tests: it echoes every
 * credential it receives — the bearer token, the API key header, the `?key=`
 * of the URL — back in its errors: in messages, in every kind of error
 * detail (ErrorInfo metadata, BadRequest, Help links, DebugInfo,
 * LocalizedMessage), in failed operations (AsyncBatchAnnotateImages and
 * PurgeProducts end in an echoing error; polling ImportProductSets fails), and, on a second HTTP port, in
 * HTML error pages. Served on gRPC and REST with the emulator's serving layer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Code, type ErrorDetail, VisionError } from 'vision-kit';
import { errorToStatus } from 'vision-kit/codec';
import { ImageAnnotatorDefinition } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { ProductSearchDefinition } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { OperationsDefinition } from 'vision-kit/gen/google/longrunning/operations.js';
import { type CallContext, createGrpcHost, createRestHandler, defineService } from 'vision-kit/serving';
import { servedBindings } from 'vision-kit/transcoding';

/** A running leaky server. */
export interface LeakyServer {
  /** `127.0.0.1:PORT` (gRPC). */
  readonly grpcAddress: string;
  /** `http://127.0.0.1:PORT` (REST). */
  readonly restUrl: string;
  /** `http://127.0.0.1:PORT`: answers every request with a 502 HTML page echoing the URL and headers. */
  readonly htmlUrl: string;
  /** Everything the server was sent that could hold a credential (to prove the tests are not vacuous). */
  readonly received: string[];
  close(): Promise<void>;
}

/** Operation names: polling `…/fails` fails with echoes; `…/ends-in-error` is done with an echoing error. */
export const LEAKY_OPERATIONS = {
  fails: 'projects/p/locations/us-west1/operations/fails',
  endsInError: 'projects/p/locations/us-west1/operations/ends-in-error',
  annotateEndsInError: 'operations/ends-in-error',
};

function echo(ctx: CallContext): string {
  const h = ctx.headers;
  return `authorization=${h['authorization'] ?? ''} x-goog-api-key=${h['x-goog-api-key'] ?? ''} url=${h['x-leaky-url'] ?? ''}`;
}

function leakyError(code: Code, ctx: CallContext): VisionError {
  const e = echo(ctx);
  const details: ErrorDetail[] = [
    {
      type: 'google.rpc.ErrorInfo',
      value: { reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { echo: e, key: ctx.headers['x-goog-api-key'] ?? '' } },
    },
    { type: 'google.rpc.BadRequest', value: { fieldViolations: [{ field: 'key', description: e }] } },
    { type: 'google.rpc.Help', value: { links: [{ description: 'retry with', url: `https://console.example/?${e}` }] } },
    { type: 'google.rpc.DebugInfo', value: { stackEntries: [e], detail: e } },
    { type: 'google.rpc.LocalizedMessage', value: { locale: 'en', message: e } },
  ];
  return new VisionError(code, `refused: ${e}`, { details });
}

/** Starts the leaky server on free loopback ports. */
export async function startLeakyServer(): Promise<LeakyServer> {
  const received: string[] = [];
  const note = (ctx: CallContext): void => {
    received.push(echo(ctx));
  };
  const productSearch = defineService(ProductSearchDefinition, {
    GetProduct: async (_req, ctx) => {
      note(ctx);
      throw leakyError(Code.PERMISSION_DENIED, ctx);
    },
    ListProducts: async (_req, ctx) => {
      note(ctx);
      throw leakyError(Code.UNAVAILABLE, ctx);
    },
    ImportProductSets: async (_req, ctx) => {
      note(ctx);
      return { name: LEAKY_OPERATIONS.fails, done: false };
    },
    PurgeProducts: async (_req, ctx) => {
      note(ctx);
      return { name: LEAKY_OPERATIONS.endsInError, done: false };
    },
  });
  const imageAnnotator = defineService(ImageAnnotatorDefinition, {
    AsyncBatchAnnotateImages: async (_req, ctx) => {
      note(ctx);
      return { name: LEAKY_OPERATIONS.annotateEndsInError, done: false };
    },
  });
  const operations = defineService(OperationsDefinition, {
    GetOperation: async (req, ctx) => {
      note(ctx);
      if (req.name === LEAKY_OPERATIONS.fails) throw leakyError(Code.INTERNAL, ctx);
      return { name: req.name, done: true, error: errorToStatus(leakyError(Code.PERMISSION_DENIED, ctx)) };
    },
  });
  const quiet = (): void => undefined;
  const grpcHost = createGrpcHost([imageAnnotator, productSearch, operations], { logUnexpected: quiet });
  const grpcPort = await grpcHost.listen('127.0.0.1', 0);
  const rest = createRestHandler([imageAnnotator, productSearch, operations], { bindings: servedBindings, logUnexpected: quiet });
  const restServer = createServer((req, res) => {
    req.headers['x-leaky-url'] = req.url;
    void rest.handle(req, res);
  });
  const htmlServer = createServer((req, res) => {
    const page = `<html><body><h1>502 Bad Gateway</h1><pre>${req.method} ${req.url}\n${JSON.stringify(req.headers)}</pre></body></html>`;
    received.push(page);
    res.writeHead(502, { 'content-type': 'text/html' }).end(page);
  });
  const listen = (s: Server): Promise<number> => new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
  const restPort = await listen(restServer);
  const htmlPort = await listen(htmlServer);
  return {
    grpcAddress: `127.0.0.1:${grpcPort}`,
    restUrl: `http://127.0.0.1:${restPort}`,
    htmlUrl: `http://127.0.0.1:${htmlPort}`,
    received,
    close: async () => {
      restServer.closeAllConnections();
      htmlServer.closeAllConnections();
      await Promise.all([grpcHost.close(0), new Promise((r) => restServer.close(r)), new Promise((r) => htmlServer.close(r))]);
    },
  };
}
