/**
 * `schema/services.ts`: every service method of the generated files — its
 * types, `google.api.http` bindings, `operation_info` and method signatures
 * — what the clients, the transcoder and the serving layer route by.
 */
import type { ApiHttpConfig } from './api-http-config.js';
import { type BindingRow, bindingsOf } from './http-bindings.js';
import { resolveType, type TableModel } from './model.js';
import { HEADER, lit } from './names.js';

const ROW_TYPES = [
  '/** One `google.api.http` binding; the main rule first, then `additional_bindings` in order. */',
  'export interface HttpBinding {',
  '  /** HTTP method (GET, POST, PUT, PATCH, DELETE, or a custom kind). */',
  '  readonly method: string;',
  '  /** The path template, e.g. `/v1p4beta1/{name=projects/*}/products`. */',
  '  readonly path: string;',
  '  /** `*`, a top-level field name (proto name), or absent for no body. */',
  '  readonly body?: string;',
  '  /** A top-level response field (proto name) that is the whole response body. */',
  '  readonly responseBody?: string;',
  '}',
  '',
  '/** `google.longrunning.operation_info`, with both types resolved to full names. */',
  'export interface OperationInfo {',
  "  /** Full name of the message the finished operation's `response` holds (`google.protobuf.Empty` for none). */",
  '  readonly responseType: string;',
  "  /** Full name of the message the operation's `metadata` holds while it runs. */",
  '  readonly metadataType: string;',
  '}',
  '',
  '/** One RPC of a service. */',
  'export interface MethodRow {',
  '  /** Proto method name, e.g. `GetProduct`. */',
  '  readonly name: string;',
  '  /** Full name of the request message. */',
  '  readonly input: string;',
  '  /** Full name of the response message. */',
  '  readonly output: string;',
  '  /** HTTP bindings; empty when the method has none (e.g. WaitOperation). */',
  '  readonly http: readonly HttpBinding[];',
  '  /** `google.api.method_signature` values. */',
  '  readonly signatures: readonly string[];',
  '  /** Present on methods that return a long-running operation. */',
  '  readonly operationInfo?: OperationInfo;',
  '}',
  '',
  '/**',
  " * Where a service's `google.longrunning.Operations` mixin is served over REST:",
  ' * the bindings of the three calls a poller makes, tried in order, each binding',
  " * `{name=…}` (its service config's http rules; operations.proto's rule for a",
  ' * call the config leaves out).',
  ' */',
  'export interface OperationRouteRow {',
  '  /** Where `GetOperation` (a poll) goes. */',
  '  readonly get: readonly HttpBinding[];',
  '  /** Where `CancelOperation` goes. */',
  '  readonly cancel: readonly HttpBinding[];',
  '  /** Where `DeleteOperation` goes. */',
  '  readonly delete: readonly HttpBinding[];',
  '}',
  '',
];

/** One method's row, as `MethodRow` in `schema/services.ts` (keys in this order). */
export interface MethodRowModel {
  name: string;
  input: string;
  output: string;
  http: readonly BindingRow[];
  signatures: readonly string[];
  operationInfo?: { responseType: string; metadataType: string };
}

/** Every service's method rows, by service full name, in table order. */
export function methodRows(
  { services, known }: Pick<TableModel, 'services' | 'known'>,
  config: ApiHttpConfig,
): Map<string, MethodRowModel[]> {
  const out = new Map<string, MethodRowModel[]>();
  for (const { pkg, s } of services) {
    const full = `${pkg}.${s.name}`;
    const rows: MethodRowModel[] = [];
    for (const m of s.method ?? []) {
      const where = `${full}.${m.name}`;
      const rule = m.options?.['[google.api.http]'];
      const row: MethodRowModel = {
        name: m.name,
        input: m.inputType.replace(/^\./, ''),
        output: m.outputType.replace(/^\./, ''),
        http: config.overrides.get(where) ?? (rule ? bindingsOf(rule, where) : []),
        signatures: m.options?.['[google.api.method_signature]'] ?? [],
      };
      const info = m.options?.['[google.longrunning.operation_info]'];
      if (info) {
        row.operationInfo = {
          responseType: resolveType(info.responseType, pkg, known, where),
          metadataType: resolveType(info.metadataType, pkg, known, where),
        };
      }
      rows.push(row);
    }
    out.set(full, rows);
  }
  return out;
}

/**
 * Renders `schema/services.ts`; with `typesFrom` the row types are imported
 * from there instead of declared. `config` holds the service configs'
 * routes and binding overrides.
 */
export function renderServices({ services, known }: TableModel, typesFrom: string | undefined, config: ApiHttpConfig): string {
  const lines = [HEADER];
  if (typesFrom) lines.push(`import type { MethodRow, OperationRouteRow } from '${typesFrom}/services.js';`, '');
  else lines.push(...ROW_TYPES);
  lines.push(
    '/** Every service of the generated protos, by full name, with its methods in declaration order (streaming methods left out). */',
    'export const SERVICES: { readonly [fullName: string]: readonly MethodRow[] } = {',
  );
  for (const [full, rows] of methodRows({ services, known }, config)) {
    lines.push(`  ${lit(full)}: [`);
    for (const row of rows) lines.push(`    ${lit(row)},`);
    lines.push('  ],');
  }
  lines.push(
    '};',
    '',
    '/** The Operations routes of the services a service config was given for, by service full name (see `OperationRouteRow`). */',
    'export const OPERATION_ROUTES: { readonly [service: string]: OperationRouteRow } = {',
  );
  for (const [service, row] of config.routes) lines.push(`  ${lit(service)}: ${lit(row)},`);
  lines.push('};', '');
  return lines.join('\n');
}
