/**
 * `schema/messages.ts`: every message and enum of the generated files,
 * compactly, for proto3 JSON, request checks and `Any` decoding (the
 * library's schema registry reads it; browser-safe).
 */
import type { FieldProto, MessageProto } from '../descriptor-image.js';
import { fail, type TableModel } from './model.js';
import { FLAG, HEADER, lit, protocJsonName, SCALAR, tsProtoName } from './names.js';

/** One field's row, `[jsonName, number, type, flags, protoName?, oneof?, tsName?]` (see `FieldRow`). */
export function fieldRow(msgName: string, f: FieldProto, m: MessageProto): unknown[] {
  const json = f.jsonName ?? protocJsonName(f.name);
  let type: number | string;
  if (SCALAR[f.type] !== undefined) type = SCALAR[f.type]!;
  else if ((f.type === 'TYPE_MESSAGE' || f.type === 'TYPE_ENUM') && f.typeName) type = f.typeName.replace(/^\./, '');
  else fail(`${msgName}.${f.name}: unsupported field type ${f.type} (groups are not supported)`);
  let flags = 0;
  const entry =
    f.type === 'TYPE_MESSAGE' ? (m.nestedType ?? []).find((n) => `${msgName}.${n.name}` === type && n.options?.mapEntry) : undefined;
  if (f.label === 'LABEL_REPEATED') flags |= entry ? FLAG.map : FLAG.repeated;
  if (f.proto3Optional) flags |= FLAG.optional;
  for (const b of f.options?.['[google.api.field_behavior]'] ?? []) {
    if (b === 'REQUIRED') flags |= FLAG.required;
    if (b === 'OUTPUT_ONLY') flags |= FLAG.outputOnly;
    if (b === 'IMMUTABLE') flags |= FLAG.immutable;
  }
  let oneof: string | undefined;
  if (f.oneofIndex !== undefined && !f.proto3Optional) oneof = m.oneofDecl?.[f.oneofIndex]?.name;
  const ts = tsProtoName(f.name);
  const row: unknown[] = [json, f.number, type, flags];
  const extra = [f.name === json ? undefined : f.name, oneof, ts === json ? undefined : ts];
  while (extra.length && extra[extra.length - 1] === undefined) extra.pop();
  return [...row, ...extra];
}

/** Every tabled message's field rows, by full name, in table order. */
export function messageRows(messages: TableModel['messages']): Map<string, unknown[][]> {
  const out = new Map<string, unknown[][]>();
  for (const [name, m] of messages)
    out.set(
      name,
      (m.field ?? []).map((f) => fieldRow(name, f, m)),
    );
  return out;
}

/** Renders `schema/messages.ts`; with `typesFrom` the row type is imported from there instead of declared. */
export function renderMessages({ messages, enums }: TableModel, typesFrom: string | undefined): string {
  const lines = [HEADER];
  if (typesFrom) {
    lines.push(`import type { FieldRow } from '${typesFrom}/messages.js';`, '');
  } else
    lines.push(
      '/**',
      ' * One field of a message: `[jsonName, number, type, flags, protoName?, oneof?, tsName?]`.',
      ' * `type` is a scalar type number (google.protobuf.FieldDescriptorProto.Type) or the full',
      ' * name of a message or enum. `flags` bits: 1 repeated, 2 map (type is the map-entry',
      ' * message), 4 proto3 `optional`, 8 REQUIRED, 16 OUTPUT_ONLY, 32 IMMUTABLE (field_behavior).',
      ' * `protoName` and `tsName` are left out when equal to `jsonName`; `oneof` names a real oneof.',
      ' */',
      'export type FieldRow = readonly [',
      '  jsonName: string,',
      '  number: number,',
      '  type: number | string,',
      '  flags: number,',
      '  protoName?: string,',
      '  oneof?: string,',
      '  tsName?: string,',
      '];',
      '',
    );
  lines.push(
    '/** Every message of the generated protos (compiler-option files left out), by full name: its fields in declaration order. */',
    'export const MESSAGES: { readonly [fullName: string]: readonly FieldRow[] } = {',
  );
  for (const [name, rows] of messageRows(messages)) lines.push(`  ${lit(name)}: [${rows.map((r) => lit(r)).join(', ')}],`);
  lines.push('};', '', '/** Every enum of the generated protos, by full name: `[name, number]` pairs in declaration order. */');
  lines.push('export const ENUMS: { readonly [fullName: string]: readonly (readonly [string, number])[] } = {');
  for (const [name, values] of enums) lines.push(`  ${lit(name)}: ${lit(values)},`);
  lines.push('};', '');
  return lines.join('\n');
}
