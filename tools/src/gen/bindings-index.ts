/**
 * The `index.ts` of a user's bindings: the tables as `serviceDescriptor`
 * takes them, and one typed descriptor per service, ready for
 * `createClient`. Importing it registers the bindings with vision-kit (their
 * messages for proto3 JSON, request checks and `Any` packing; their services
 * and Operations routes for the REST handler and the poller), so a server
 * that packs `Any` values or a client that decodes them needs nothing else.
 */
import type { DescriptorImage } from './descriptor-image.js';
import { HEADER } from './tables/names.js';

/** A service of the bindings. */
interface IndexedService {
  readonly fullName: string;
  /** The .proto file that declares it. */
  readonly file: string;
  readonly name: string;
}

/** Renders `index.ts` for the services of the in-scope files of `image`; `inScope(file)` as for the tables. */
export function renderIndex(image: DescriptorImage, inScope: (file: string) => boolean): string {
  const services: IndexedService[] = [];
  for (const f of image.file) {
    if (!inScope(f.name)) continue;
    for (const s of f.service ?? [])
      services.push({ fullName: `${f.package ? `${f.package}.` : ''}${s.name}`, file: f.name, name: s.name });
  }
  const taken = new Map<string, number>();
  for (const s of services) taken.set(s.name, (taken.get(s.name) ?? 0) + 1);
  const exportName = (s: IndexedService): string => ((taken.get(s.name) ?? 0) > 1 ? s.fullName.replace(/\./g, '_') : s.name);
  const lines = [HEADER];
  lines.push(
    '/**',
    ' * These bindings for vision-kit: `TABLES`, and a descriptor per service for',
    " * `createClient` (typed by the service's definition and operation types).",
    ' * Importing this module registers the tables with vision-kit: messages and',
    ' * enums (proto3 JSON, request checks, `Any` packing and decoding), services',
    ' * and their Operations routes (REST handlers, pollers).',
    ' */',
  );
  if (services.length > 0) lines.push("import { type ServiceDescriptor, serviceDescriptor } from 'vision-kit';");
  else lines.push("import { registerSchema } from 'vision-kit/codec';");
  const typeImports = new Map<string, string[]>();
  for (const s of services) {
    const spec = `./${s.file.replace(/\.proto$/, '.js')}`;
    typeImports.set(spec, [...(typeImports.get(spec) ?? []), `${s.name}Definition`]);
  }
  for (const [spec, names] of typeImports) lines.push(`import type { ${[...new Set(names)].sort().join(', ')} } from '${spec}';`);
  lines.push("import { ENUMS, MESSAGES } from './schema/messages.js';");
  if (services.length > 0) lines.push("import type { OperationTypes } from './schema/operations.js';");
  lines.push("import { OPERATION_ROUTES, SERVICES } from './schema/services.js';", '');
  lines.push(
    '/** The gen-time tables of these bindings, as `serviceDescriptor` takes them. */',
    'export const TABLES = { services: SERVICES, messages: MESSAGES, enums: ENUMS, operationRoutes: OPERATION_ROUTES };',
    '',
  );
  if (services.length === 0) lines.push('registerSchema({ messages: MESSAGES, enums: ENUMS });', '');
  for (const s of services) {
    const type = `ServiceDescriptor<${s.name}Definition, OperationTypes>`;
    lines.push(
      `/** \`${s.fullName}\`. */`,
      `export const ${exportName(s)}: ${type} = serviceDescriptor<${s.name}Definition, OperationTypes>(${JSON.stringify(s.fullName)}, TABLES);`,
      '',
    );
  }
  return lines.join('\n');
}
