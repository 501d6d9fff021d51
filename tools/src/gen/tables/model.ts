/**
 * One walk over a descriptor image that collects what the table files
 * render: messages and enums by full name, services, resource types, and
 * where each message's TypeScript type lives.
 */
import type { DescriptorImage, EnumValueProto, MessageProto, ServiceProto } from '../descriptor-image.js';

/** Where a message's ts-proto type is: its .proto file and its TypeScript name (nested as `Outer_Inner`). */
export interface TypeOrigin {
  readonly file: string;
  readonly tsName: string;
  /** True when the file's module is part of the output being generated. */
  readonly inScope: boolean;
}

/** A resource type's row. */
export interface ResourceModel {
  readonly patterns: readonly string[];
  readonly message?: string;
}

/** What the tables are made of. */
export interface TableModel {
  /** Messages of tabled files, by full name. */
  readonly messages: Map<string, MessageProto>;
  /** Every message of the image, by full name (for resolving operation_info types). */
  readonly known: Set<string>;
  /** Enums of tabled files, by full name: `[name, number]` pairs. */
  readonly enums: Map<string, (readonly [string, number])[]>;
  /** Services of in-scope files, with their package. */
  readonly services: { readonly pkg: string; readonly s: ServiceProto; readonly file: string }[];
  /** Resource types declared in in-scope files. */
  readonly resources: Map<string, ResourceModel>;
  /** Every message's TypeScript origin. */
  readonly origins: Map<string, TypeOrigin>;
}

/**
 * Walks `image`: `inScope(file)` says which files' modules are in the
 * output (their services and resources are tabled), `tabled(file)` whose
 * messages and enums are.
 */
export function walkImage(image: DescriptorImage, inScope: (file: string) => boolean, tabled: (file: string) => boolean): TableModel {
  const messages = new Map<string, MessageProto>();
  const known = new Set<string>();
  const origins = new Map<string, TypeOrigin>();
  const enums = new Map<string, (readonly [string, number])[]>();
  const services: { pkg: string; s: ServiceProto; file: string }[] = [];
  const resources = new Map<string, ResourceModel>();
  for (const file of image.file) {
    const pkg = file.package ?? '';
    const scoped = inScope(file.name);
    const keep = scoped && tabled(file.name);
    const visitEnum = (prefix: string, e: { name: string; value: readonly EnumValueProto[] }): void => {
      if (keep)
        enums.set(
          `${prefix}${e.name}`,
          e.value.map((v) => [v.name, v.number] as const),
        );
    };
    const visitMessage = (prefix: string, m: MessageProto, tsPrefix = ''): void => {
      const full = `${prefix}${m.name}`;
      // ts-proto names a nested message Outer_Inner, in the .ts file of its .proto.
      origins.set(full, { file: file.name, tsName: `${tsPrefix}${m.name}`, inScope: scoped });
      const res = m.options?.['[google.api.resource]'];
      if (res && scoped) resources.set(res.type, { patterns: res.pattern ?? [], message: full });
      for (const n of m.nestedType ?? []) visitMessage(`${full}.`, n, `${tsPrefix}${m.name}_`);
      for (const e of m.enumType ?? []) visitEnum(`${full}.`, e);
      known.add(full);
      if (keep) messages.set(full, m);
    };
    const prefix = pkg ? `${pkg}.` : '';
    for (const m of file.messageType ?? []) visitMessage(prefix, m);
    for (const e of file.enumType ?? []) visitEnum(prefix, e);
    if (!scoped) continue;
    for (const res of file.options?.['[google.api.resourceDefinition]'] ?? []) {
      resources.set(res.type, { patterns: res.pattern ?? [] });
    }
    for (const s of file.service ?? []) services.push({ pkg, s, file: file.name });
  }
  return { messages, known, enums, services, resources, origins };
}

/** Throws an Error with `message` (the tables step reports it as one line). */
export function fail(message: string): never {
  throw new Error(message);
}

/** Resolves an operation_info type name the way protobuf scopes it (relative to the package). */
export function resolveType(name: string, pkg: string, known: ReadonlySet<string>, where: string): string {
  const candidates = name.includes('.') ? [name, `${pkg}.${name}`] : [`${pkg}.${name}`];
  const found = candidates.find((c) => known.has(c));
  if (!found) fail(`${where}: operation_info type "${name}" resolves to no message`);
  return found;
}
