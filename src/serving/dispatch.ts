/**
 * Runs one unary call through the interceptors and its handler, the same way
 * for gRPC and REST: missing handlers answer UNIMPLEMENTED, anything thrown
 * becomes a VisionError (unexpected errors INTERNAL), responses are
 * normalised to the full message shape.
 */

import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';
import type { CallContext, GenericMethodDefinition, Interceptor, ServiceImpl } from './service-impl.js';

/** Reports an unexpected (non-VisionError) failure of a handler; default writes to stderr. */
export type UnexpectedErrorLogger = (err: unknown, where: string) => void;

/** Default logger for handler bugs: one line on stderr. */
export const logUnexpected: UnexpectedErrorLogger = (err, where) => {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`vision-kit emulator: unexpected error in ${where}: ${text}\n`);
};

/** Converts anything thrown into the VisionError a client will see. */
export function toVisionError(err: unknown, where: string, log: UnexpectedErrorLogger = logUnexpected): VisionError {
  if (err instanceof VisionError) return err;
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) return VisionError.from(err);
  log(err, where);
  return new VisionError(codes.INTERNAL, `internal error in ${where}: ${err instanceof Error ? err.message : String(err)}`, {
    cause: err,
  });
}

/** Calls `method` of `impl` with a decoded request; resolves to the full response message. */
export async function dispatchUnary(
  impl: ServiceImpl,
  method: GenericMethodDefinition,
  request: unknown,
  ctx: CallContext,
  interceptors: readonly Interceptor[],
): Promise<unknown> {
  const service = impl.definition.fullName;
  const handler = impl.handlers[method.name];
  const call = { service, method: method.name, ctx };
  const run = async (i: number): Promise<unknown> => {
    const interceptor = interceptors[i];
    if (interceptor) return interceptor(call, () => run(i + 1));
    if (!handler) throw new VisionError(codes.UNIMPLEMENTED, `${service}.${method.name} is not implemented by this server`);
    const response = await (handler as (req: unknown, c: CallContext) => Promise<unknown>)(request, ctx);
    return method.responseType.fromPartial((response ?? {}) as never);
  };
  return run(0);
}
