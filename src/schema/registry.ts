/**
 * The runtime view of the gen-time schema tables (`gen/schema/messages.ts`):
 * every message and enum by full name, with field lookups by JSON name,
 * proto name, ts-proto property name and number. Views are built lazily and
 * cached. Tables come in with {@link registerSchema}: Vision's all at once
 * (vision-tables.ts, which every entry but `vision-kit/browser` loads), or
 * those a built-in service reaches when its descriptor is made
 * (packed-tables.ts: what a browser bundle carries), a generated binding's
 * when its descriptors are made. Browser-safe: tables only, no codecs.
 */
import type { FieldRow } from '../../gen/schema/messages.js';
import * as fieldFlags from './field-flags.js';
import { SchemaError } from './schema-error.js';

export type { FieldRow } from '../../gen/schema/messages.js';

/**
 * Scalar type numbers, as in `google.protobuf.FieldDescriptorProto.Type`
 * (groups, messages and enums are not scalars and are left out).
 *
 * @enum
 */
export const ScalarType = {
  /** `double`: a 64-bit float. */
  DOUBLE: 1,
  /** `float`: a 32-bit float. */
  FLOAT: 2,
  /** `int64`: signed, varint-encoded (a decimal string in JSON). */
  INT64: 3,
  /** `uint64`: unsigned, varint-encoded (a decimal string in JSON). */
  UINT64: 4,
  /** `int32`: signed, varint-encoded. */
  INT32: 5,
  /** `fixed64`: unsigned, always 8 bytes (a decimal string in JSON). */
  FIXED64: 6,
  /** `fixed32`: unsigned, always 4 bytes. */
  FIXED32: 7,
  /** `bool`. */
  BOOL: 8,
  /** `string`: UTF-8 text. */
  STRING: 9,
  /** `bytes` (base64 in JSON, `Uint8Array` in memory). */
  BYTES: 12,
  /** `uint32`: unsigned, varint-encoded. */
  UINT32: 13,
  /** `sfixed32`: signed, always 4 bytes. */
  SFIXED32: 15,
  /** `sfixed64`: signed, always 8 bytes (a decimal string in JSON). */
  SFIXED64: 16,
  /** `sint32`: signed, zigzag varint (small negatives stay short). */
  SINT32: 17,
  /** `sint64`: signed, zigzag varint (a decimal string in JSON). */
  SINT64: 18,
} as const;

/** A scalar type number. */
export type ScalarType = (typeof ScalarType)[keyof typeof ScalarType];

/** Field flag bits of a {@link FieldRow} (mirrors the generator's tables, tools/src/gen/tables/names.ts). */
export const FieldFlag = {
  REPEATED: fieldFlags.REPEATED,
  MAP: fieldFlags.MAP,
  OPTIONAL: fieldFlags.OPTIONAL,
  REQUIRED: fieldFlags.REQUIRED,
  OUTPUT_ONLY: fieldFlags.OUTPUT_ONLY,
  IMMUTABLE: fieldFlags.IMMUTABLE,
} as const;

/**
 * How a message-typed field is represented in memory (ts-proto's choices):
 * `wrapper` fields (`google.protobuf.Int32Value`, …) hold the bare scalar,
 * `fieldMask` fields hold `string[]`, everything else is a nested object.
 */
export type MessageShape = 'message' | 'wrapper' | 'fieldMask';

/** The type of one value: of a singular field, an element, or a map value. */
export interface ValueInfo {
  /** `scalar`, `enum` or `message`. */
  readonly kind: 'scalar' | 'enum' | 'message';
  /** The scalar type (for `scalar`; for a `wrapper` message, the wrapped scalar). */
  readonly scalar: ScalarType | undefined;
  /** Full name of the enum or message type. */
  readonly typeName: string | undefined;
  /** The in-memory shape of a message value. */
  readonly shape: MessageShape | undefined;
}

/** A map field: key scalar type and the value's type. */
export interface MapInfo {
  /** The key's scalar type (string, integer or bool kinds). */
  readonly key: ScalarType;
  /** The value's type. */
  readonly value: ValueInfo;
  /** The synthetic map-entry message. */
  readonly entryType: string;
}

/** One field of a message, resolved from its {@link FieldRow}. */
export interface FieldInfo extends ValueInfo {
  /** Position in declaration order. */
  readonly index: number;
  /** The lowerCamel proto3 JSON name. */
  readonly jsonName: string;
  /** The name in the .proto file (snake_case). */
  readonly protoName: string;
  /** The ts-proto property name of the in-memory message. */
  readonly tsName: string;
  /** The field number. */
  readonly number: number;
  /** A repeated (non-map) field. */
  readonly repeated: boolean;
  /** Map key and value, for a map field. */
  readonly map: MapInfo | undefined;
  /** The real oneof this field belongs to. */
  readonly oneof: string | undefined;
  /** A proto3 `optional` field (explicit presence). */
  readonly optional: boolean;
  /** True when the field has presence: a message, oneof member or proto3 optional. */
  readonly hasPresence: boolean;
  /** `google.api.field_behavior` REQUIRED. */
  readonly required: boolean;
  /** `google.api.field_behavior` OUTPUT_ONLY. */
  readonly outputOnly: boolean;
  /** `google.api.field_behavior` IMMUTABLE. */
  readonly immutable: boolean;
}

/** A message type: its fields in declaration order and lookups over them. */
export interface MessageInfo {
  /** The full name, e.g. `google.cloud.vision.v1p4beta1.Product`. */
  readonly fullName: string;
  /** Fields in declaration order (ts-proto's encode order). */
  readonly fields: readonly FieldInfo[];
  /** Real oneofs by name, with their member fields. */
  readonly oneofs: ReadonlyMap<string, readonly FieldInfo[]>;
  /** A field by its JSON (lowerCamel) name. */
  readonly byJsonName: ReadonlyMap<string, FieldInfo>;
  /** A field by its proto (snake_case) name. */
  readonly byProtoName: ReadonlyMap<string, FieldInfo>;
  /** A field by its ts-proto property name. */
  readonly byTsName: ReadonlyMap<string, FieldInfo>;
  /** A field by number. */
  readonly byNumber: ReadonlyMap<number, FieldInfo>;
  /** A field by JSON name or proto name (what proto3 JSON parsers accept). */
  findField(name: string): FieldInfo | undefined;
}

/** An enum type: names and numbers both ways. */
export interface EnumInfo {
  /** The full name. */
  readonly fullName: string;
  /** `[name, number]` pairs in declaration order. */
  readonly values: readonly (readonly [string, number])[];
  /** The number of a value name. */
  readonly byName: ReadonlyMap<string, number>;
  /** The (first declared) name of a number. */
  readonly byNumber: ReadonlyMap<number, string>;
}

/** Schema tables as `npm run gen` writes them (gen/schema/messages.ts). */
export interface SchemaTables {
  /** Messages by full name: fields in declaration order. */
  readonly messages: { readonly [fullName: string]: readonly FieldRow[] };
  /** Enums by full name: `[name, number]` pairs. */
  readonly enums: { readonly [fullName: string]: readonly (readonly [string, number])[] };
}

const WRAPPERS: { readonly [name: string]: ScalarType } = {
  'google.protobuf.DoubleValue': 1,
  'google.protobuf.FloatValue': 2,
  'google.protobuf.Int64Value': 3,
  'google.protobuf.UInt64Value': 4,
  'google.protobuf.Int32Value': 5,
  'google.protobuf.UInt32Value': 13,
  'google.protobuf.BoolValue': 8,
  'google.protobuf.StringValue': 9,
  'google.protobuf.BytesValue': 12,
};

const messageRows = new Map<string, readonly FieldRow[]>();
const enumRows = new Map<string, readonly (readonly [string, number])[]>();
const messageCache = new Map<string, MessageInfo>();
const enumCache = new Map<string, EnumInfo>();

/** A table to add to a registry map: `[map, rows by name, what a clash calls a row ("message")]`. */
type TablePart = readonly [Map<string, unknown>, { readonly [name: string]: unknown }, string];

/**
 * @internal Adds tables to registry maps, all or none: a name registered
 * already with a different definition (compared as JSON) throws a
 * SchemaError before anything is added. Shared with service-registry.ts.
 */
export function addAll(parts: readonly TablePart[]): void {
  for (const [map, table, kind] of parts) {
    for (const [name, rows] of Object.entries(table)) {
      const old = map.get(name);
      if (old !== undefined && old !== rows && JSON.stringify(old) !== JSON.stringify(rows)) {
        throw new SchemaError(`${kind} ${name} is already registered with a different definition`, name);
      }
    }
  }
  for (const [map, table] of parts) for (const [name, rows] of Object.entries(table)) map.set(name, rows);
}

/**
 * Adds more schema tables (e.g. test-only protos generated into
 * test/gen/schema/ by the same pipeline). Registering the same name again
 * with the same definition is a no-op; a different definition, or a field
 * of a type found in neither these tables nor the registry, throws
 * {@link SchemaError} before anything is added.
 */
export function registerSchema(tables: SchemaTables): void {
  const { messages, enums } = tables;
  for (const [name, rows] of Object.entries(messages)) {
    for (const [json, , type] of rows) {
      if (typeof type === 'string' && !(type in messages || type in enums || messageRows.has(type) || enumRows.has(type))) {
        throw new SchemaError(`${name}.${json} refers to unknown type ${type}`, type);
      }
    }
  }
  addAll([
    [messageRows, messages, 'message'],
    [enumRows, enums, 'enum'],
  ]);
}

/** True when a message of that full name is known. */
export function hasMessage(fullName: string): boolean {
  return messageRows.has(fullName);
}

/** True when an enum of that full name is known. */
export function hasEnum(fullName: string): boolean {
  return enumRows.has(fullName);
}

/** Every known message's full name. */
export function messageNames(): string[] {
  return [...messageRows.keys()];
}

/** The wrapped scalar type of a `google.protobuf.*Value` wrapper, else undefined. */
export function wrapperScalar(typeName: string): ScalarType | undefined {
  return WRAPPERS[typeName];
}

function valueInfo(type: number | string, where: string): ValueInfo {
  if (typeof type === 'number') return { kind: 'scalar', scalar: type as ScalarType, typeName: undefined, shape: undefined };
  if (enumRows.has(type)) return { kind: 'enum', scalar: undefined, typeName: type, shape: undefined };
  if (!messageRows.has(type)) throw new SchemaError(`${where} refers to unknown type ${type}`, type);
  const w = WRAPPERS[type];
  const shape: MessageShape = w !== undefined ? 'wrapper' : type === 'google.protobuf.FieldMask' ? 'fieldMask' : 'message';
  return { kind: 'message', scalar: w, typeName: type, shape };
}

function buildMessage(fullName: string, rows: readonly FieldRow[]): MessageInfo {
  const fields: FieldInfo[] = [];
  const oneofs = new Map<string, FieldInfo[]>();
  const byJsonName = new Map<string, FieldInfo>();
  const byProtoName = new Map<string, FieldInfo>();
  const byTsName = new Map<string, FieldInfo>();
  const byNumber = new Map<number, FieldInfo>();
  rows.forEach(([jsonName, number, type, flags, protoName, oneof, tsName], index) => {
    const where = `${fullName}.${protoName ?? jsonName}`;
    let map: MapInfo | undefined;
    if (flags & fieldFlags.MAP) {
      const entry = messageRows.get(type as string);
      const k = entry?.[0];
      const v = entry?.[1];
      if (!k || !v || typeof k[2] !== 'number') throw new SchemaError(`${where}: bad map entry ${String(type)}`, String(type));
      map = { key: k[2] as ScalarType, value: valueInfo(v[2], where), entryType: type as string };
    }
    const value = map
      ? { kind: 'message' as const, scalar: undefined, typeName: type as string, shape: 'message' as const }
      : valueInfo(type, where);
    const repeated = (flags & fieldFlags.REPEATED) !== 0;
    const optional = (flags & fieldFlags.OPTIONAL) !== 0;
    const info: FieldInfo = {
      ...value,
      index,
      jsonName,
      protoName: protoName ?? jsonName,
      tsName: tsName ?? jsonName,
      number,
      repeated,
      map,
      oneof,
      optional,
      hasPresence: !repeated && !map && (value.kind === 'message' || optional || oneof !== undefined),
      required: (flags & fieldFlags.REQUIRED) !== 0,
      outputOnly: (flags & fieldFlags.OUTPUT_ONLY) !== 0,
      immutable: (flags & fieldFlags.IMMUTABLE) !== 0,
    };
    fields.push(info);
    if (oneof !== undefined) {
      const members = oneofs.get(oneof) ?? [];
      members.push(info);
      oneofs.set(oneof, members);
    }
    byJsonName.set(info.jsonName, info);
    byProtoName.set(info.protoName, info);
    byTsName.set(info.tsName, info);
    byNumber.set(number, info);
  });
  return {
    fullName,
    fields,
    oneofs,
    byJsonName,
    byProtoName,
    byTsName,
    byNumber,
    findField: (name) => byJsonName.get(name) ?? byProtoName.get(name),
  };
}

/** The cached view of a message type; throws {@link SchemaError} for an unknown name. */
export function messageInfo(fullName: string): MessageInfo {
  let info = messageCache.get(fullName);
  if (info === undefined) {
    const rows = messageRows.get(fullName);
    if (rows === undefined) throw new SchemaError(`unknown message type ${fullName}`, fullName);
    info = buildMessage(fullName, rows);
    messageCache.set(fullName, info);
  }
  return info;
}

/** The cached view of an enum type; throws {@link SchemaError} for an unknown name. */
export function enumInfo(fullName: string): EnumInfo {
  let info = enumCache.get(fullName);
  if (info === undefined) {
    const values = enumRows.get(fullName);
    if (values === undefined) throw new SchemaError(`unknown enum type ${fullName}`, fullName);
    const byName = new Map<string, number>();
    const byNumber = new Map<number, string>();
    for (const [name, number] of values) {
      byName.set(name, number);
      if (!byNumber.has(number)) byNumber.set(number, name);
    }
    info = { fullName, values, byName, byNumber };
    enumCache.set(fullName, info);
  }
  return info;
}
