/**
 * `schema/packed.ts`, written for vision-kit's own tables only: the rows of
 * `messages.ts` and `services.ts` again, packed per service, so that a
 * browser bundle carries the types its services reach and no others, in a
 * text the library decodes once (src/schema/packed-tables.ts holds the
 * reader, test/schema/packed-tables.test.ts holds the two forms equal).
 *
 * `PACKED_BASE` holds `google.longrunning.Operations`, the `google.rpc`
 * messages (error details) and every type they reach: what every client
 * needs. Each other service has a pack of its own (`PACKED_IMAGE_ANNOTATOR`,
 * …) with the types it reaches beyond the base (types two services share
 * are in both packs: each must stand alone on top of the base).
 *
 * In a pack, `messages` holds one text per message and `enums` one per
 * enum: the name, then one token per field or value, space-separated. A
 * name is the full name, or `.Rest` for the package of the type before it
 * in the pack (messages, then enums) followed by `Rest`: a package is a full
 * name up to the dot before its first upper-case part
 * (`google.cloud.vision.v1p4beta1.` of `…v1p4beta1.Feature.Type`).
 * A field is `protoName,number,type,flags,oneof,jsonName,tsName` with the
 * trailing empty parts left out: `number` is empty when it is the previous
 * field's plus one, `type` is a letter for a scalar (`a` = 1, double, …
 * `r` = 18, sint64) or the index of a message or enum (the base's messages,
 * then its enums, then the pack's messages and enums), `flags` as in a
 * `FieldRow` (empty for none), `jsonName` empty when it is protoc's
 * lowerCamel form of the proto name and `tsName` empty when it equals
 * `jsonName`. A value is `NAME`, or `NAME=number` when its number is not the
 * previous one's plus one (the first's is 0). Services are
 * `[fullName, methods, routes?]` (routes `0` when they are the base pack's
 * `routes`: those every configured service has; the library polls through
 * them by default, so tables whose configured services disagree, or that
 * configure none, are refused), a method
 * `[name, input, output, bindings, signatures, response?, metadata?]` with
 * types as indices and a binding `method path body? responseBody?`
 * (space-separated, trailing empty parts left out).
 */
import type { ApiHttpConfig } from './api-http-config.js';
import type { BindingRow } from './http-bindings.js';
import type { TableModel } from './model.js';
import { HEADER, lit, protocJsonName } from './names.js';
import { messageRows } from './render-messages.js';
import { type MethodRowModel, methodRows } from './render-services.js';

const BASE_SERVICE = 'google.longrunning.Operations';

const TYPES = [
  '/** A binding: `method path body? responseBody?`, space-separated (an `HttpBinding`). */',
  'export type PackedBinding = string;',
  '',
  "/** A method: its types as indices into the pack's types (see the module comment). */",
  'export type PackedMethod = readonly [',
  '  name: string,',
  '  input: number,',
  '  output: number,',
  '  bindings: readonly PackedBinding[],',
  '  signatures: readonly string[],',
  '  response?: number,',
  '  metadata?: number,',
  '];',
  '',
  '/** Operations routes: the bindings of get, cancel and delete. */',
  'export type PackedRoutes = readonly [get: readonly PackedBinding[], cancel: readonly PackedBinding[], remove: readonly PackedBinding[]];',
  '',
  '/**',
  ' * A service: its methods and, when its service config gives them, its Operations routes',
  " * (0: the same as the base pack's `routes`).",
  ' */',
  'export type PackedService = readonly [fullName: string, methods: readonly PackedMethod[], routes?: PackedRoutes | 0];',
  '',
  '/** One pack: its messages, enums and services (see the module comment for the text of a message and of an enum). */',
  'export interface PackedTables {',
  '  readonly messages: readonly string[];',
  '  readonly enums: readonly string[];',
  '  readonly services: readonly PackedService[];',
  '  /** The base pack only: the Operations routes every configured service has, when they all have the same. */',
  '  readonly routes?: PackedRoutes;',
  '}',
  '',
];

/**
 * The package of a full name: up to the dot before its first upper-case
 * part (src/schema/packed-tables.ts reads names with the same rule).
 */
const packageOf = (name: string): string => name.slice(0, name.search(/\.[A-Z]/) + 1);

/** The names of one pack's types, each `.Rest` when it is in the package of the one before (see the module comment). */
function shortNames(names: readonly string[]): string[] {
  let prev = '';
  return names.map((name) => {
    const pkg = packageOf(prev);
    prev = name;
    return pkg !== '' && name.startsWith(pkg) && !name.startsWith('.') ? `.${name.slice(pkg.length)}` : name;
  });
}

/** `PACKED_IMAGE_ANNOTATOR` for `…ImageAnnotator`. */
function constName(service: string): string {
  const short = service.slice(service.lastIndexOf('.') + 1);
  return `PACKED_${short.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** A binding's text: `method path body? responseBody?`, space-separated (a path has no spaces), trailing empty parts left out. */
function binding(b: BindingRow): string {
  for (const part of [b.path, b.body, b.responseBody]) {
    if (part?.includes(' ')) throw new Error(`an HTTP binding of ${b.method} ${b.path} has a space: it cannot be packed`);
  }
  return [b.method, b.path, b.body ?? '', b.responseBody ?? ''].join(' ').trimEnd();
}

/** Renders `schema/packed.ts` (see the module comment). */
export function renderPacked(model: TableModel, config: ApiHttpConfig): string {
  const rows = messageRows(model.messages);
  const methods = methodRows(model, config);
  /** Every type `roots` reach (message fields' types, transitively), in table order. */
  const reach = (roots: Iterable<string>): string[] => {
    const seen = new Set<string>();
    const stack = [...roots];
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (seen.has(name) || !(rows.has(name) || model.enums.has(name))) continue;
      seen.add(name);
      for (const r of rows.get(name) ?? []) if (typeof r[2] === 'string') stack.push(r[2]);
    }
    return [...rows.keys(), ...model.enums.keys()].filter((n) => seen.has(n));
  };
  const methodTypes = (ms: readonly MethodRowModel[]): string[] =>
    ms.flatMap((m) => [m.input, m.output, ...(m.operationInfo ? [m.operationInfo.responseType, m.operationInfo.metadataType] : [])]);

  const baseServices = methods.has(BASE_SERVICE) ? [BASE_SERVICE] : [];
  const baseTypes = reach([
    ...baseServices.flatMap((s) => methodTypes(methods.get(s)!)),
    ...[...rows.keys()].filter((n) => n.startsWith('google.rpc.')),
  ]);
  const packs: { name: string; doc: string; types: string[]; services: string[] }[] = [
    {
      name: 'PACKED_BASE',
      doc: '`google.longrunning.Operations`, the `google.rpc` messages and the types they reach: what every client needs.',
      types: baseTypes,
      services: baseServices,
    },
  ];
  const inBase = new Set(baseTypes);
  for (const [service, ms] of methods) {
    if (service === BASE_SERVICE) continue;
    packs.push({
      name: constName(service),
      doc: `\`${service}\` and the types it reaches beyond \`PACKED_BASE\`.`,
      types: reach(methodTypes(ms)).filter((t) => !inBase.has(t)),
      services: [service],
    });
  }

  // The routes every configured service has, when they agree: the base pack holds them once.
  const routeTexts = [...config.routes.values()].map((r) => JSON.stringify([r.get, r.cancel, r.delete].map((l) => l.map(binding))));
  const shared = routeTexts.length > 0 && routeTexts.every((t) => t === routeTexts[0]) ? routeTexts[0] : undefined;
  // The library reads the base pack's routes as the default of every poller (packed-tables.ts): they must be there.
  if (shared === undefined) throw new Error('packed tables: the configured services have no Operations routes in common');

  const lines = [
    HEADER,
    '/**',
    ' * The rows of messages.ts and services.ts, packed per service for browser bundles: see',
    ' * `renderPacked` in the generator (vision-kit-tools) for the format.',
    ' */',
    '',
    ...TYPES,
  ];
  // Messages, then enums, each grouped by package (in table order within one) so that most names are `.Rest`.
  const byPackage = (types: string[]): string[] => {
    const pkgs = [...new Set(types.map(packageOf))];
    return pkgs.flatMap((p) => types.filter((t) => packageOf(t) === p));
  };
  const order = (types: string[]): string[] => [
    ...byPackage(types.filter((t) => rows.has(t))),
    ...byPackage(types.filter((t) => !rows.has(t))),
  ];
  const baseOrder = order(baseTypes);
  for (const pack of packs) {
    const own = pack.name === 'PACKED_BASE' ? baseOrder : order(pack.types);
    const all = pack.name === 'PACKED_BASE' ? baseOrder : [...baseOrder, ...own];
    const index = new Map(all.map((t, i) => [t, i]));
    const ref = (t: string): number => {
      const i = index.get(t);
      if (i === undefined) throw new Error(`${pack.name}: ${t} is in no pack it can reach`);
      return i;
    };
    const shortNamesOfOwn = shortNames(own);
    const short = new Map(own.map((t, i) => [t, shortNamesOfOwn[i]!]));
    const messages = own
      .filter((t) => rows.has(t))
      .map((name) => {
        let prev = 0;
        const fields = rows.get(name)!.map((r) => {
          const [json, no, type, flags, protoName, oneof, ts] = r as [string, number, number | string, number, string?, string?, string?];
          const proto = protoName ?? json;
          const parts = [
            proto,
            no === prev + 1 ? '' : String(no),
            typeof type === 'number' ? String.fromCharCode(96 + type) : String(ref(type)),
            flags === 0 ? '' : String(flags),
            oneof ?? '',
            json === protocJsonName(proto) ? '' : json,
            ts ?? '',
          ];
          prev = no;
          while (parts[parts.length - 1] === '') parts.pop();
          return parts.join(',');
        });
        return [short.get(name)!, ...fields].join(' ');
      });
    const enums = own
      .filter((t) => model.enums.has(t))
      .map((name) => {
        let prev = -1;
        const values = model.enums.get(name)!.map(([v, n]) => {
          const token = n === prev + 1 ? v : `${v}=${n}`;
          prev = n;
          return token;
        });
        return [short.get(name)!, ...values].join(' ');
      });
    const services = pack.services.map((service) => {
      const packed = methods.get(service)!.map((m) => {
        const row: unknown[] = [m.name, ref(m.input), ref(m.output), m.http.map(binding), m.signatures];
        if (m.operationInfo) row.push(ref(m.operationInfo.responseType), ref(m.operationInfo.metadataType));
        return row;
      });
      const routes = config.routes.get(service);
      if (routes === undefined) return [service, packed];
      const text = [routes.get, routes.cancel, routes.delete].map((list) => list.map(binding));
      return [service, packed, JSON.stringify(text) === shared ? 0 : text];
    });
    lines.push(
      `/** ${pack.doc} */`,
      `export const ${pack.name}: PackedTables = {`,
      `  messages: ${lit(messages)},`,
      `  enums: ${lit(enums)},`,
      `  services: ${lit(services)},`,
      ...(pack.name === 'PACKED_BASE' && shared !== undefined ? [`  routes: ${shared},`] : []),
      '};',
      '',
    );
  }
  return lines.join('\n');
}
