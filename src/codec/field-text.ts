/**
 * One value of a field as text, as a query parameter or a URL path variable
 * carries it (gRPC transcoding): proto3 JSON's string forms, without the
 * quotes — `5`, `true`, `LABEL_DETECTION`, base64, RFC 3339, `1.5s`,
 * `displayName,productLabels`. Its own module because it is about single
 * values, not messages: the transcoding code needs these and nothing of the
 * JSON message walkers. The forms themselves are the JSON writer's and
 * reader's (json/to-json.ts, json/from-json.ts), so a query parameter and a
 * JSON body never disagree; what is added here is the query's own rules:
 * message-typed fields have no text form, and bools also read from `1`/`0`.
 */
import { describe, scalarName } from '../schema/create-message.js';
import type { FieldInfo, ValueInfo } from '../schema/registry.js';
import * as scalarTypes from '../schema/scalar-types.js';
import { ANY, kindOf, MESSAGE, WRAPPER } from './field-kind.js';
import { valuePlan } from './field-plan.js';
import { valueFromJson } from './json/from-json.js';
import { fail, finish, rethrow } from './json/json-error.js';
import { type ToJsonOptions, valueString } from './json/to-json.js';

/** The kind the text forms switch on (a wrapper's is its scalar's); fails for a message-typed field. */
function fieldOp(field: ValueInfo, where: string): number {
  const kind = kindOf(field);
  if (kind === MESSAGE || kind === ANY) fail(`${where} is a message (${field.typeName}) and has no string form`);
  return kind === WRAPPER ? (field.scalar as number) : kind;
}

/** Options of {@link fieldValueToString} and {@link fieldValueFromString}. */
export interface StringValueOptions {
  /** The field path an error names (default: the field's JSON name). */
  path?: string;
  /** The message type an error names as `typeName` (default: the field's type). */
  typeName?: string;
}

/**
 * The proto3 JSON *string* form of one value of a field (a scalar, an enum,
 * a wrapper or Timestamp/Duration/FieldMask; for a repeated field, one
 * element), as a query parameter carries it: `5`, `true`, `LABEL_DETECTION`
 * (or `4` with enumAsInt), standard padded base64, `2019-03-01T10:00:00Z`,
 * `1.5s`, `displayName,productLabels`, `NaN`. Throws ProtoJsonError for a
 * message-typed field or a value of the wrong type (`path` as given, or the
 * field's JSON name).
 */
export function fieldValueToString(field: FieldInfo | ValueInfo, value: unknown, options: ToJsonOptions & StringValueOptions = {}): string {
  const path = options.path ?? ('jsonName' in field ? field.jsonName : '');
  try {
    return valueString(valuePlan(field.typeName), fieldOp(field, path || 'the field'), value, options);
  } catch (e) {
    throw finish(rethrow(e, path === '' ? '' : `.${path}`), options.typeName ?? field.typeName ?? scalarName(field.scalar as number));
  }
}

/**
 * Reads one value of a field from its string form (a query parameter or a
 * path variable): the inverse of {@link fieldValueToString}, as lenient as
 * proto3 JSON (numbers in exponent form, enum names or numbers, standard or
 * URL-safe base64, Timestamp offsets, camel or snake FieldMask paths) plus
 * `1`/`0` for bools. Returns the ts-proto-shaped value (wrappers bare,
 * FieldMask `string[]`, Timestamp `{seconds, nanos}`). Throws ProtoJsonError
 * naming `path` (default: the field's JSON name).
 */
export function fieldValueFromString(field: FieldInfo | ValueInfo, text: string, options: StringValueOptions = {}): unknown {
  const path = options.path ?? ('jsonName' in field ? field.jsonName : '');
  try {
    const op = fieldOp(field, path || 'the field');
    if (op === scalarTypes.BOOL) {
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      fail(`expected true or false, got ${describe(text)}`);
    }
    return valueFromJson(valuePlan(field.typeName), op, text, {});
  } catch (e) {
    throw finish(rethrow(e, path === '' ? '' : `.${path}`), options.typeName ?? field.typeName ?? scalarName(field.scalar as number));
  }
}
