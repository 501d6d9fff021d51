/**
 * `google.protobuf.Any` in ts-proto's shape (`{ typeUrl, value }`), packed
 * and unpacked by reflection over the schema (browser-safe). An Any read
 * from JSON unpacks to the message it holds (held-any.ts); bytes are read
 * and written by the binary codec, which every entry but
 * `vision-kit/browser` loads.
 */
import type { Any } from '../../gen/google/protobuf/any.js';
import * as codes from '../core/codes.js';
import type { MessageObject } from '../schema/create-message.js';
import { hasMessage } from '../schema/registry.js';
import { SchemaError } from '../schema/schema-error.js';
import type { WireOptions } from './binary-codec.js';
import { anyBytesCodec, heldMessage } from './held-any.js';

export type { Any } from '../../gen/google/protobuf/any.js';

/** The type URL prefix Google's APIs use: `type.googleapis.com/`. */
export const TYPE_URL_PREFIX = 'type.googleapis.com/';

/** The full message name of a type URL: the part after the last '/'. */
export function typeNameOfUrl(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
}

/**
 * Packs a message (ts-proto shape, or a deep partial of it) of `typeName`
 * into an Any with the standard prefix. The type must be in the schema
 * registry: Vision's are; a generated binding's are once its `index.js`
 * (written by `vision-kit gen`) is imported or its tables are passed to
 * `registerSchema`. An unknown type is a SchemaError saying so.
 */
export function packAny(typeName: string, message: object): Any {
  if (!hasMessage(typeName)) {
    throw new SchemaError(
      `packAny: unknown type ${JSON.stringify(typeName)}: register it first (import the index.js vision-kit gen wrote for its protos, or registerSchema with its tables)`,
      typeName,
    );
  }
  return { typeUrl: TYPE_URL_PREFIX + typeName, value: anyBytesCodec('packAny').encode(typeName, message) };
}

/**
 * Unpacks an Any into a message of its type (ts-proto shape); an Any read
 * from JSON gives the message it holds (the same object each time). With
 * `expectedType`, an Any of another type is a {@link SchemaError} naming
 * both types. An unknown type URL is a SchemaError, malformed bytes a
 * WireError; both INVALID_ARGUMENT unless `options.code` says otherwise
 * (a client reading a response passes INTERNAL).
 */
export function unpackAny<T extends object = MessageObject>(any: Any, expectedType?: string, options: WireOptions = {}): T {
  const name = typeNameOfUrl(any.typeUrl);
  const code = options.code ?? codes.INVALID_ARGUMENT;
  if (expectedType !== undefined && name !== expectedType) {
    throw new SchemaError(`expected an Any of ${expectedType}, got ${any.typeUrl === '' ? 'an empty Any' : name}`, name, code);
  }
  if (!hasMessage(name)) throw new SchemaError(`unknown type ${JSON.stringify(any.typeUrl)} in Any`, name, code);
  const held = heldMessage(any);
  if (held !== undefined) return held.message as T;
  return anyBytesCodec(`unpacking an Any of ${name} from bytes`).decode(name, any.value, options) as T;
}
