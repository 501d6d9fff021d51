/**
 * `google.protobuf.Any` values read from proto3 JSON (REST answers, error
 * details), held as the message they were read as: the JSON reader checks
 * and reads the message inside (`{"@type", …fields}`) anyway, so an Any
 * read from JSON keeps that message and makes its bytes only when they are
 * read. The poller, the error details and the JSON writer take the message
 * as it is, so the browser's path (REST only) needs no binary codec at all.
 *
 * A held Any is shaped like any other (ts-proto's `{ typeUrl, value }`,
 * deep-equal to the same Any decoded from gRPC): `value` is an accessor
 * that encodes the held message on first read and keeps the bytes. The
 * encoder is the binary codec (binary-codec.ts), which provides itself
 * here when it is loaded — every entry but `vision-kit/browser` loads it.
 * Without it (an app that imports only `vision-kit/browser`), reading
 * `value` of a held Any throws a FAILED_PRECONDITION VisionError saying to
 * import `vision-kit/codec`; nothing of ours reads it there. Assigning
 * `value` replaces the held message with the bytes given; changing
 * `typeUrl` makes the Any read as bytes from then on.
 */
import type { Any } from '../../gen/google/protobuf/any.js';
import type { Code } from '../core/code.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';

/** The binary codec as the held Anys (and the other readers of Any bytes) use it. */
export interface AnyBytesCodec {
  /** The bytes of a message of `typeName` (a WireError, `options.code`, for a value it cannot encode). */
  encode(typeName: string, message: object, options?: { code?: Code }): Uint8Array;
  /** The message of `typeName` that `bytes` encode (a WireError, `options.code`, when they do not). */
  decode(typeName: string, bytes: Uint8Array, options?: { code?: Code }): object;
}

let provided: AnyBytesCodec | undefined;

/** Called by binary-codec.ts when it is loaded. */
export function provideAnyBytesCodec(codec: AnyBytesCodec): void {
  provided = codec;
}

/** The binary codec, or a FAILED_PRECONDITION VisionError saying that `what` needs it. */
export function anyBytesCodec(what: string): AnyBytesCodec {
  if (provided === undefined) {
    throw new VisionError(
      codes.FAILED_PRECONDITION,
      `${what} needs the binary codec, which vision-kit/browser leaves out: import anything from 'vision-kit/codec' to load it`,
    );
  }
  return provided;
}

/** What a held Any holds. */
export interface HeldMessage {
  /** The type URL it was read with. */
  readonly typeUrl: string;
  /** The full name of the message type. */
  readonly typeName: string;
  /** The message, in the in-memory shape. */
  readonly message: object;
}

const held = new WeakMap<object, HeldMessage>();

/** An Any holding `message` of `typeName` (see the module comment). */
export function holdAny(typeUrl: string, typeName: string, message: object): Any {
  const any = { typeUrl } as Any;
  let bytes: Uint8Array | undefined;
  Object.defineProperty(any, 'value', {
    enumerable: true,
    configurable: true,
    get: () => (bytes ??= anyBytesCodec(`the bytes of an Any of ${typeName}`).encode(typeName, message)),
    set: (value: Uint8Array) => {
      held.delete(any);
      // Assigned after the accessor is gone: a plain data property (enumerable, writable, configurable).
      delete (any as { value?: Uint8Array }).value;
      any.value = value;
    },
  });
  held.set(any, { typeUrl, typeName, message });
  return any;
}

/** What `any` holds when it was read from JSON (and its type URL is unchanged), else undefined. */
export function heldMessage(any: unknown): HeldMessage | undefined {
  const h = typeof any === 'object' && any !== null ? held.get(any) : undefined;
  return h !== undefined && h.typeUrl === (any as Any).typeUrl ? h : undefined;
}

/**
 * The message of type `typeName` an Any carries: the one it holds, or its
 * bytes decoded by the binary codec. The caller has checked that the type
 * URL names `typeName`. A held message is returned as it is (the same
 * object each time).
 */
export function anyMessage(any: Any, typeName: string): object {
  const h = heldMessage(any);
  if (h !== undefined && h.typeName === typeName) return h.message;
  return anyBytesCodec(`decoding an Any of ${typeName} from bytes`).decode(typeName, any.value);
}
