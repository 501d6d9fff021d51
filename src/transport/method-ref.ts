import type { MethodRow } from '../../gen/schema/services.js';

/** One RPC as the transports see it: the service's full name and the method's gen-time row. */
export interface MethodRef {
  /** Full name of the service, e.g. `google.cloud.vision.v1p4beta1.ProductSearch`. */
  readonly service: string;
  /** The method's row of `gen/schema/services.ts` (name, types, HTTP bindings, operation info). */
  readonly method: MethodRow;
}
