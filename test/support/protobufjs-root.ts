/**
 * An independent protobuf implementation (protobufjs) built at run time
 * from the same schema rows, to judge our codec on types ts-proto has no
 * generated code for (the test-only tables).
 */
import protobuf from 'protobufjs';
import { enumInfo, messageInfo } from 'vision-kit/codec';

const SCALAR_NAMES: Record<number, string> = {
  1: 'double',
  2: 'float',
  3: 'int64',
  4: 'uint64',
  5: 'int32',
  6: 'fixed64',
  7: 'fixed32',
  8: 'bool',
  9: 'string',
  12: 'bytes',
  13: 'uint32',
  15: 'sfixed32',
  16: 'sfixed64',
  17: 'sint32',
  18: 'sint64',
};

/** An independent protobuf implementation (protobufjs) built from the same schema rows. */
export function protobufjsRoot(names: string[]): protobuf.Root {
  const root = new protobuf.Root();
  const typeName = (v: { kind: string; scalar?: number; typeName?: string }): string =>
    v.kind === 'scalar' ? (SCALAR_NAMES[v.scalar as number] as string) : `.${v.typeName}`;
  const seen = new Set<string>();
  const addEnum = (full: string): void => {
    if (seen.has(full)) return;
    seen.add(full);
    const dot = full.lastIndexOf('.');
    root.define(full.slice(0, dot)).add(new protobuf.Enum(full.slice(dot + 1), Object.fromEntries(enumInfo(full).values)));
  };
  const addMessage = (full: string): void => {
    if (seen.has(full)) return;
    seen.add(full);
    const info = messageInfo(full);
    const dot = full.lastIndexOf('.');
    const t = new protobuf.Type(full.slice(dot + 1));
    const oneofs = new Map<string, string[]>();
    for (const f of info.fields) {
      const v = f.map ? f.map.value : f;
      // wrapper-shaped and FieldMask fields are ordinary messages on the wire
      const wire = { kind: v.kind, scalar: v.kind === 'message' ? undefined : v.scalar, typeName: v.typeName };
      if (f.map) t.add(new protobuf.MapField(f.protoName, f.number, SCALAR_NAMES[f.map.key] as string, typeName(wire)));
      else t.add(new protobuf.Field(f.protoName, f.number, typeName(wire), f.repeated ? 'repeated' : undefined));
      if (f.oneof) oneofs.set(f.oneof, [...(oneofs.get(f.oneof) ?? []), f.protoName]);
      if (v.kind === 'message') addMessage(v.typeName as string);
      if (v.kind === 'enum') addEnum(v.typeName as string);
    }
    for (const [name, members] of oneofs) t.add(new protobuf.OneOf(name, members));
    root.define(full.slice(0, dot)).add(t);
  };
  names.forEach(addMessage);
  root.resolveAll();
  return root;
}
