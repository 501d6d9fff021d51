/**
 * `vision-kit call`: one method, proto3 JSON in, one JSON document out
 * (docs/cli.md). Loaded only when the command runs.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Operation } from '../../../gen/google/longrunning/operations.js';
import { checkPathFields } from '../../client/path-fields.js';
import { messageFromJson } from '../../codec/json/from-json.js';
import { messageToJson } from '../../codec/json/to-json.js';
import { statusToJson } from '../../codec/rpc-status.js';
import { messageOf, VisionError } from '../../core/vision-error.js';
import { restBindings } from '../../transcoding/operations-bindings.js';
import { transcodeRequest } from '../../transcoding/transcode-request.js';
import { createTransport, resolveTransport, type TransportKind } from '../../transport/create-transport.js';
import { isIdempotent } from '../../transport/retry.js';
import type { MethodRef } from '../../transport/transport.js';
import { CliError } from '../cli-error.js';
import { lookUpMethod } from './call-methods.js';
import type { CallCommandOptions, OperationWaiter } from './call-options.js';

/**
 * The service whose GetOperation and WaitOperation answer the operation their
 * request names: `--wait` on them waits on that operation (call-wait.ts).
 */
const OPERATIONS = 'google.longrunning.Operations';

/** Loads the `--wait` implementation: the poller's waiter (`call-wait.ts`), on demand. */
async function loadWaiter(): Promise<OperationWaiter | undefined> {
  return (await import('./call-wait.js')).waitForOperation;
}

/**
 * Runs `vision-kit call` and resolves to the exit code: 0 with the response
 * on stdout; 1 for an API error, with the `google.rpc.Status` as the last
 * stderr line; usage and client-side errors (an unknown method, bad JSON, a
 * path-bound field missing or off its pattern — on either transport) throw
 * a {@link CliError} (exit 2).
 */
export async function runCall(methodName: string, options: CallCommandOptions): Promise<number> {
  const found = lookUpMethod(methodName);
  const ref: MethodRef = { service: found.service.fullName, method: found.method };
  const text = await readJsonOption(options.json);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // A file named without its `@` is read as JSON text: say so when such a file exists.
    const file = !options.json.startsWith('@') && (await stat(options.json).catch(() => undefined))?.isFile() === true;
    const hint = file ? ` (to read the file ${options.json}, write --json @${options.json})` : '';
    throw new CliError(`--json is not valid JSON: ${err instanceof Error ? err.message : String(err)}${hint}`);
  }
  const request = usage(() => messageFromJson(ref.method.input, json) as object, `--json is not a valid ${ref.method.input}`);
  const choice = usage(() =>
    resolveTransport({
      transport: options.transport as TransportKind | undefined,
      endpoint: options.endpoint,
      plaintext: options.plaintext,
    }),
  );
  const returnsOperation = ref.method.output === 'google.longrunning.Operation';
  let waiter: OperationWaiter | undefined;
  if (options.wait === true) {
    if (!returnsOperation) throw new CliError(`--wait: ${ref.method.name} does not return an operation`);
    if (ref.method.operationInfo === undefined && ref.service !== OPERATIONS) {
      throw new CliError(`--wait: ${ref.method.name} returns an operation but declares no operation_info, so what it holds is unknown`);
    }
    waiter = await loadWaiter();
    if (waiter === undefined) throw new CliError('--wait is not available in this build (it needs the operation poller)');
  }
  // What the clients judge before any transport (a field the HTTP path binds): bad input on both transports.
  usage(() => checkPathFields(ref, request));
  if (choice.kind === 'rest') {
    // Refused before any I/O: a method with no binding, a value with no query form.
    usage(() => transcodeRequest(ref.method, request, { bindings: restBindings(ref) }));
  }

  // No --transport: gRPC, moving to REST if the endpoint cannot speak gRPC (said on stderr with --verbose).
  const transport = createTransport({
    transport: options.transport as TransportKind | undefined,
    endpoint: options.endpoint,
    plaintext: options.plaintext,
    apiKey: options.apiKey,
    onFallback:
      options.verbose === true
        ? (e) => process.stderr.write(`vision-kit: ${oneLine(e.error.summary)}; switched to REST at ${e.restEndpoint}\n`)
        : undefined,
  });
  const abort = new AbortController();
  const onSignal = (): void => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  try {
    // The library's policy, but a server that keeps answering UNAVAILABLE gets at most 5 attempts from a shell; one
    // that cannot be reached fails within seconds as for any caller (connectRetryMs).
    const retry = isIdempotent(ref) ? { maxAttempts: 5 } : undefined;
    let response = await transport.unary(ref, request, { signal: abort.signal, retry });
    if (waiter !== undefined) {
      response = await waiter(response as Operation, { transport, method: ref, signal: abort.signal });
    }
    process.stdout.write(`${JSON.stringify(messageToJson(ref.method.output, response), null, 2)}\n`);
    const failed = waiter !== undefined ? (response as Operation).error : undefined;
    if (failed !== undefined) {
      process.stderr.write(`vision-kit: ${ref.method.name}: the operation ended in error\n`);
      process.stderr.write(`${JSON.stringify(messageToJson('google.rpc.Status', failed))}\n`);
      return 1;
    }
    return 0;
  } catch (err) {
    const error = VisionError.from(err);
    process.stderr.write(`vision-kit: ${ref.method.name} failed: ${error.message}\n`);
    process.stderr.write(`${JSON.stringify(statusToJson(error))}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    transport.close();
  }
}

/** The first line of a message. */
function oneLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

/** Runs a client-side step, turning its error into a usage error (exit 2). */
function usage<T>(step: () => T, prefix?: string): T {
  try {
    return step();
  } catch (err) {
    const message = messageOf(err);
    throw new CliError(prefix === undefined ? message : `${prefix}: ${message}`, 2, { cause: err });
  }
}

/** The `--json` text: inline, or the contents of `@file`. */
async function readJsonOption(value: string): Promise<string> {
  if (!value.startsWith('@')) return value;
  const path = value.slice(1);
  try {
    // A byte order mark (as some editors write) is not part of the JSON.
    return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (err) {
    throw new CliError(`--json ${value}: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
