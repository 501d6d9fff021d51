/**
 * The reader of `gen/schema/packed.ts`: vision-kit's own tables packed per
 * service (the generator's `renderPacked` describes the text), decoded once
 * into the rows `gen/schema/messages.ts` and `services.ts` hold, and
 * registered. The built-in descriptors (ImageAnnotator, ProductSearch,
 * Operations) are made from these packs rather than from the full tables,
 * so a browser bundle carries the messages its services reach and no
 * others. test/schema/packed-tables.test.ts holds the rows decoded here
 * equal to the full tables'.
 */
import type { FieldRow } from '../../gen/schema/messages.js';
import { PACKED_BASE, type PackedBinding, type PackedRoutes, type PackedTables } from '../../gen/schema/packed.js';
import type { HttpBinding, MethodRow, OperationRouteRow } from '../../gen/schema/services.js';
import { registerSchema } from './registry.js';
import { registerServices } from './service-registry.js';

/** A pack decoded: the full names its type indices stand for (the base's first), and its services' rows. */
export interface UnpackedTables {
  /** Type full names by index. */
  readonly names: readonly string[];
  /** The pack's messages' field rows, by full name. */
  readonly messages: { readonly [fullName: string]: readonly FieldRow[] };
  /** The pack's enums' values, by full name. */
  readonly enums: { readonly [fullName: string]: readonly (readonly [string, number])[] };
  /** Method rows by service full name. */
  readonly services: { readonly [fullName: string]: readonly MethodRow[] };
  /** Operations routes by service full name. */
  readonly routes: { readonly [fullName: string]: OperationRouteRow };
  /** The routes every configured service of Vision's has (the base pack's; the default of a poller). */
  readonly sharedRoutes: OperationRouteRow;
}

/** protoc's default JSON name: each `_` dropped and the next character upper-cased. */
const camel = (name: string): string => name.replace(/_+(.?)/g, (_m, c: string) => c.toUpperCase());

const bindingOf = (text: PackedBinding): HttpBinding => {
  const [method, path, body, responseBody] = text.split(' ') as [string, string, string?, string?];
  const b: { method: string; path: string; body?: string; responseBody?: string } = { method, path };
  if (body) b.body = body;
  if (responseBody) b.responseBody = responseBody;
  return b;
};

const routesOf = (r: PackedRoutes): OperationRouteRow => ({
  get: r[0].map(bindingOf),
  cancel: r[1].map(bindingOf),
  delete: r[2].map(bindingOf),
});

/**
 * The full names of a pack's types, in index order (its messages, then its
 * enums): a name written `.Rest` is in the package of the one before it
 * (up to the dot before that one's first upper-case part).
 */
export function typeNames(pack: PackedTables): string[] {
  let prev = '';
  return [...pack.messages, ...pack.enums].map((text) => {
    const name = text.slice(0, text.indexOf(' ') >>> 0);
    prev = name[0] === '.' ? prev.slice(0, prev.search(/\.[A-Z]/)) + name : name;
    return prev;
  });
}

/**
 * Decodes `pack` on top of `base` (the decoded base pack; none for the base
 * itself), registers its messages, enums and services, and returns it.
 */
export function unpackTables(pack: PackedTables, base?: UnpackedTables): UnpackedTables {
  const own = typeNames(pack);
  const names = [...(base?.names ?? []), ...own];
  const messages: Record<string, FieldRow[]> = {};
  const enums: Record<string, [string, number][]> = {};
  const count = pack.messages.length;
  // One loop over messages and enums: a message's tokens are fields, an enum's values.
  for (const [i, text] of [...pack.messages, ...pack.enums].entries()) {
    const [, ...tokens] = text.split(' ');
    let prev = i < count ? 0 : -1;
    if (i < count) {
      messages[own[i]!] = tokens.map((field) => {
        const [proto, no, type, flags, oneof, json, ts] = field.split(',') as [string, string, string, ...(string | undefined)[]];
        const jsonName = json || camel(proto);
        prev = no ? +no : prev + 1;
        const row: (string | number | undefined)[] = [
          jsonName,
          prev,
          // A digit (an index) sorts before the letters of the scalars.
          type < 'a' ? names[+type] : type.charCodeAt(0) - 96,
          +(flags ?? 0),
          proto === jsonName ? undefined : proto,
          oneof || undefined,
          ts || undefined,
        ];
        while (row.length > 4 && row[row.length - 1] === undefined) row.pop();
        return row as unknown as FieldRow;
      });
    } else {
      enums[own[i]!] = tokens.map((value) => {
        const [name, no] = value.split('=') as [string, string?];
        prev = no ? +no : prev + 1;
        return [name, prev];
      });
    }
  }
  // The base pack always has them (the generator makes sure): the default of every poller.
  const sharedRoutes = base?.sharedRoutes ?? routesOf(pack.routes!);
  const services: Record<string, MethodRow[]> = {};
  const routes: Record<string, OperationRouteRow> = {};
  for (const [fullName, methods, r] of pack.services) {
    services[fullName] = methods.map(([name, input, output, http, signatures, response, metadata]) => {
      const row: { -readonly [K in keyof MethodRow]: MethodRow[K] } = {
        name,
        input: names[input]!,
        output: names[output]!,
        http: http.map(bindingOf),
        signatures,
      };
      if (response !== undefined) row.operationInfo = { responseType: names[response]!, metadataType: names[metadata!]! };
      return row;
    });
    if (r !== undefined) routes[fullName] = r === 0 ? sharedRoutes : routesOf(r);
  }
  registerSchema({ messages, enums });
  registerServices(services, routes);
  return { names, messages, enums, services, routes, sharedRoutes };
}

let base: UnpackedTables | undefined;

/** The base pack (Operations, google.rpc and what they reach), decoded and registered on first use. */
export function basePack(): UnpackedTables {
  return (base ??= unpackTables(PACKED_BASE));
}

/**
 * The Operations routes every configured service of Vision's has (its
 * service config's): the default routes of a poller's Get, Cancel and
 * Delete calls.
 */
export function visionOperationRoutes(): OperationRouteRow {
  return basePack().sharedRoutes;
}
