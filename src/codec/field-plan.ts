/**
 * The field plans both codecs walk: per message type, built once from the
 * schema registry and cached, each field's kind (field-kind.ts),
 * cardinality and everything either codec would otherwise work out per
 * value — the binary codec's tag, wire type and packing, proto3 JSON's names,
 * ready-made `"key":` and oneof siblings. One compiler, so the binary codec
 * and proto3 JSON cannot read a field differently. Every field plan is made
 * in one place, so all have one object shape and the walkers' property reads
 * stay monomorphic (measured against separate plans per codec: no difference
 * beyond noise).
 */
import { type EnumInfo, type FieldInfo, messageInfo, type ValueInfo, wrapperScalar } from '../schema/registry.js';
import * as scalarTypes from '../schema/scalar-types.js';
import { ENUM, IMPLICIT, kindOf, LIST, MAP, messageKind, PRESENCE, WRAPPER } from './field-kind.js';
import type { WireType } from './wire.js';

// The wire types as plain numbers (wire.ts's `WireType` values), so that this module, which proto3
// JSON uses too, does not pull the wire module into the browser's bundle.
const VARINT = 0,
  BIT64 = 1,
  LENGTH_DELIMITED = 2,
  BIT32 = 5;

/** One field (or a map's value, a list's element) as the codecs read it. */
export interface FieldPlan {
  /** The ts-proto property name. */
  readonly ts: string;
  /** The proto3 JSON (lowerCamel) name. */
  readonly json: string;
  /** `"jsonName":`, ready to write. */
  readonly key: string;
  /** The field number. */
  readonly no: number;
  /** The tag of one value (of a map entry, for a map). */
  readonly tag: number;
  /** The wire type of one value (a map's value type for a map). */
  readonly wt: WireType;
  /** IMPLICIT, PRESENCE, LIST or MAP (field-kind.ts). */
  readonly card: number;
  /** The kind of one value: a scalar type number or one of field-kind.ts's kinds. */
  readonly kind: number;
  /** The scalar type on the wire: the kind's for scalars, the wrapped one for wrappers, int32 for enums, 0 for messages. */
  readonly scalar: number;
  /** The enum or message type's full name. */
  readonly type: string | undefined;
  /** A repeated scalar (or enum) written packed. */
  readonly packed: boolean;
  /** A map's key scalar type (0 otherwise). */
  readonly keyType: number;
  /** The ts-proto names of the other members of the field's oneof. */
  readonly siblings: readonly string[] | undefined;
  /** The message type's plan, filled in on first use (types may nest themselves). */
  sub: MessagePlan | undefined;
  /** The enum type, filled in on first use. */
  enm: EnumInfo | undefined;
}

/** A message type's fields in declaration order, with the lookups the readers need. */
export interface MessagePlan {
  /** The full name. */
  readonly typeName: string;
  /** Fields in declaration order (the binary writer's order and the JSON writer's). */
  readonly fields: readonly FieldPlan[];
  /** By field number (what the binary reader meets). */
  readonly byNumber: ReadonlyMap<number, FieldPlan>;
  /** By JSON and proto name (what the JSON reader accepts). */
  readonly byName: ReadonlyMap<string, FieldPlan>;
  /** By ts-proto name (what the JSON writer reads). */
  readonly byTs: ReadonlyMap<string, FieldPlan>;
}

/** The wire type of a scalar type's values. */
export function wireTypeOf(t: number): WireType {
  switch (t) {
    case scalarTypes.DOUBLE:
    case scalarTypes.FIXED64:
    case scalarTypes.SFIXED64:
      return BIT64;
    case scalarTypes.FLOAT:
    case scalarTypes.FIXED32:
    case scalarTypes.SFIXED32:
      return BIT32;
    case scalarTypes.STRING:
    case scalarTypes.BYTES:
      return LENGTH_DELIMITED;
    default:
      return VARINT;
  }
}

/** The one place a {@link FieldPlan} object is made (one property order, one hidden class). */
function fieldPlan(
  ts: string,
  json: string,
  no: number,
  card: number,
  kind: number,
  scalar: number,
  type: string | undefined,
  keyType: number,
  siblings: readonly string[] | undefined,
): FieldPlan {
  const wt = kind <= ENUM ? wireTypeOf(scalar) : LENGTH_DELIMITED;
  return {
    ts,
    json,
    key: `${JSON.stringify(json)}:`,
    no,
    tag: ((no << 3) | (card === MAP ? LENGTH_DELIMITED : wt)) >>> 0,
    wt,
    card,
    kind,
    scalar,
    type,
    packed: card === LIST && wt !== LENGTH_DELIMITED,
    keyType,
    siblings,
    sub: undefined,
    enm: undefined,
  };
}

/**
 * A plan for a value outside any field (the root value of a wrapper or a
 * well-known type, one query parameter): no names, no number, no kind (the
 * caller passes the kind it means); `typeName` for enum lookups and errors.
 */
export function valuePlan(typeName: string | undefined): FieldPlan {
  return fieldPlan('', '', 0, PRESENCE, 0, 0, typeName, 0, undefined);
}

/** The plan of a message's root value where that is not an object (a wrapper's scalar, a well-known type's string): no type, so never filled in. */
export const ROOT_PLAN = valuePlan(undefined);

/** The kind of a whole message of `typeName` (at the root, inside an Any): WRAPPER, one of the special well-known types, or MESSAGE. */
export function rootKind(typeName: string): number {
  return wrapperScalar(typeName) !== undefined ? WRAPPER : messageKind(typeName);
}

const plans = new Map<string, MessagePlan>();

/** The plan of a message type (built on first use, then cached). Throws SchemaError for an unknown type. */
export function planOf(typeName: string): MessagePlan {
  let p = plans.get(typeName);
  if (p === undefined) {
    const info = messageInfo(typeName);
    const byName = new Map<string, FieldPlan>();
    const fields = info.fields.map((f): FieldPlan => {
      const card = f.map ? MAP : f.repeated ? LIST : f.hasPresence ? PRESENCE : IMPLICIT;
      const siblings =
        f.oneof === undefined ? undefined : (info.oneofs.get(f.oneof) as FieldInfo[]).filter((o) => o !== f).map((o) => o.tsName);
      const v: ValueInfo = f.map ? f.map.value : f;
      // Enums are int32 on the wire; a wrapper's scalar is the wrapped one.
      const scalar = v.kind === 'enum' ? scalarTypes.INT32 : (v.scalar ?? 0);
      const fp = fieldPlan(f.tsName, f.jsonName, f.number, card, kindOf(v), scalar, v.typeName, f.map ? f.map.key : 0, siblings);
      byName.set(f.jsonName, fp);
      byName.set(f.protoName, fp);
      return fp;
    });
    p = { typeName, fields, byNumber: new Map(fields.map((f) => [f.no, f])), byName, byTs: new Map(fields.map((f) => [f.ts, f])) };
    plans.set(typeName, p);
  }
  return p;
}
