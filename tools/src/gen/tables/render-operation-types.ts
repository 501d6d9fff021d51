/**
 * `schema/operations.ts`: the TypeScript response and metadata types of
 * every operation-returning method (type-only imports of ts-proto's
 * interfaces), keyed by `service/Method`, for typed `Lro<R, M>` handles.
 */
import { fail, resolveType, type TableModel } from './model.js';
import { HEADER, lit } from './names.js';

/**
 * Renders `schema/operations.ts`. `moduleOf(file)` is the import specifier,
 * from `schema/`, of the module of a .proto file the output does not hold.
 */
export function renderOperationTypes({ services, known, origins }: TableModel, moduleOf: (protoFile: string) => string): string {
  const modules = new Map<string, string>();
  const ref = (full: string): string => {
    const o = origins.get(full) ?? fail(`operation type ${full} has no message`);
    const spec = o.inScope ? `../${o.file.replace(/\.proto$/, '.js')}` : moduleOf(o.file);
    if (!modules.has(spec)) modules.set(spec, `m${modules.size}`);
    return `${modules.get(spec)}.${o.tsName}`;
  };
  const rows: string[] = [];
  for (const { pkg, s } of services) {
    const full = `${pkg}.${s.name}`;
    for (const m of s.method ?? []) {
      const info = m.options?.['[google.longrunning.operation_info]'];
      if (!info) continue;
      const where = `${full}.${m.name}`;
      const response = ref(resolveType(info.responseType, pkg, known, where));
      const metadata = ref(resolveType(info.metadataType, pkg, known, where));
      rows.push(`  ${lit(`${full}/${m.name}`)}: { readonly response: ${response}; readonly metadata: ${metadata} };`);
    }
  }
  const lines = [HEADER];
  for (const [spec, alias] of modules) lines.push(`import type * as ${alias} from '${spec}';`);
  if (modules.size) lines.push('');
  lines.push(
    '/**',
    ' * The TypeScript types of the response and metadata of every method that',
    ' * returns a long-running operation (its `google.longrunning.operation_info`),',
    ' * keyed by `service full name/Method`.',
    ' */',
    'export interface OperationTypes {',
    ...rows,
    '}',
    '',
  );
  return lines.join('\n');
}
