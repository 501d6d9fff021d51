import type { Any } from '../../gen/google/protobuf/any.js';
import { unpackAny } from '../codec/any.js';

import * as codes from '../core/codes.js';

/** Decodes the bytes of an Any as the message type `typeName` (in-memory shape); throws when they do not decode. */
export type AnyUnpacker = (any: Any, typeName: string) => object;

/**
 * The default unpacker: reflection over the schema registry (browser-safe),
 * so an Any decodes the same whether it came as bytes (gRPC) or as JSON
 * with `@type` (REST, which the transport packs into the same Any).
 */
export const registryUnpacker: AnyUnpacker = (any, typeName) => unpackAny(any, typeName, { code: codes.INTERNAL });
