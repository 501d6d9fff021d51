/**
 * The shapes of ts-proto's `outputServices=generic-definitions` output, as
 * types only, so browser code can name them without importing the message
 * modules.
 */

/** Values that a deep partial keeps whole. */
// biome-ignore lint/complexity/noBannedTypes: any function is kept whole, whatever its signature.
type Builtin = Date | Function | Uint8Array | string | number | boolean | bigint | undefined | null;

/** A message with every field optional, recursively (what requests are accepted as). */
export type DeepPartial<T> = T extends Builtin
  ? T
  : T extends ReadonlyArray<infer U>
    ? ReadonlyArray<DeepPartial<U>>
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : Partial<T>;

/** The codec functions ts-proto emits for each message (`MessageFns<T>`). */
export interface MessageFns<T> {
  /** Binary encoding; `finish()` gives the bytes. */
  encode(
    message: T,
    writer?: never,
  ): {
    /** The encoded message. */
    finish(): Uint8Array;
  };
  /** Binary decoding. */
  decode(input: Uint8Array, length?: number): T;
  /** A full message from a deep partial. */
  fromPartial(object: never): T;
}

/** One method of a generic service definition. */
export interface GenericMethodDefinition {
  /** Proto method name, e.g. `GetProduct`. */
  readonly name: string;
  /** The request message's codecs. */
  readonly requestType: MessageFns<unknown>;
  /** The response message's codecs. */
  readonly responseType: MessageFns<unknown>;
  /** Always false for the services here (all unary). */
  readonly requestStream: boolean;
  /** Always false for the services here (all unary). */
  readonly responseStream: boolean;
}

/** A ts-proto generic service definition (`ProductSearchDefinition`, …). */
export interface GenericServiceDefinition {
  /** Short name, e.g. `ProductSearch`. */
  readonly name: string;
  /** Full name, e.g. `google.cloud.vision.v1p4beta1.ProductSearch`. */
  readonly fullName: string;
  /** Methods by lowerCamel name. */
  readonly methods: { readonly [key: string]: GenericMethodDefinition };
}

/** The request message type of a method definition. */
export type RequestOf<M> = M extends {
  /** The request message's codecs. */
  readonly requestType: {
    /** A full request message from a partial one. */
    fromPartial(...args: never[]): infer T;
  };
}
  ? T
  : never;

/** The response message type of a method definition. */
export type ResponseOf<M> = M extends {
  /** The response message's codecs. */
  readonly responseType: {
    /** A full response message from a partial one. */
    fromPartial(...args: never[]): infer T;
  };
}
  ? T
  : never;
