/**
 * What the service configs given to the generator change in the tables:
 * the REST routes of each generated service's `google.longrunning.Operations`
 * mixin (`OPERATION_ROUTES`), and bindings that replace a method's proto
 * annotation. Routes for an RPC a config leaves out are operations.proto's
 * own rule, so a route row is always complete; a service no config applies
 * to gets no row (clients then use their default routes).
 */
import type { DescriptorImage } from '../descriptor-image.js';
import type { ServiceConfig } from '../service-config.js';
import { type BindingRow, bindingsOf } from './http-bindings.js';
import type { TableModel } from './model.js';

/** The Operations mixin. */
export const OPERATIONS = 'google.longrunning.Operations';

/** The Operations RPCs a client's poller calls, and their keys in a route row. */
const ROUTED = { GetOperation: 'get', CancelOperation: 'cancel', DeleteOperation: 'delete' } as const;

/** One service's Operations routes. */
export interface RouteRow {
  get: BindingRow[];
  cancel: BindingRow[];
  delete: BindingRow[];
}

/** The service configs' effect on the tables. */
export interface ApiHttpConfig {
  /** Bindings replacing a method's proto rule, by `package.Service.Method`. */
  readonly overrides: ReadonlyMap<string, readonly BindingRow[]>;
  /** Operations routes by service full name, in the services' order. */
  readonly routes: ReadonlyMap<string, RouteRow>;
}

/** operations.proto's own rules for the routed RPCs (empty lists when the image lacks it). */
function protoRules(image: DescriptorImage): RouteRow {
  const row: RouteRow = { get: [], cancel: [], delete: [] };
  const file = image.file.find((f) => f.package === 'google.longrunning' && f.service?.some((s) => s.name === 'Operations'));
  for (const m of file?.service?.find((s) => s.name === 'Operations')?.method ?? []) {
    const key = ROUTED[m.name as keyof typeof ROUTED];
    const rule = m.options?.['[google.api.http]'];
    if (key !== undefined && rule) row[key] = bindingsOf(rule, `${OPERATIONS}.${m.name}`);
  }
  return row;
}

/** Checks that an Operations route binds exactly `{name=…}` (what the poller fills in). */
function checkRoute(b: BindingRow, where: string): void {
  const vars = b.path.match(/\{[^}]*\}/g) ?? [];
  if (vars.length !== 1 || !/^\{name(=|\})/.test(vars[0]!)) {
    throw new Error(`${where}: ${b.method} ${b.path} must bind exactly {name=…} (the operation's name)`);
  }
}

/** True when `config` configures `service`: it names it among its `apis`, or names none (then it applies to every service). */
export function configures(config: ServiceConfig, service: string): boolean {
  return config.apis.length === 0 || config.apis.includes(service);
}

/** Applies `configs` to the services of `model` (see the module comment); throws one line on a config that fits nothing. */
export function apiHttpConfig(configs: readonly ServiceConfig[], model: TableModel, image: DescriptorImage): ApiHttpConfig {
  const overrides = new Map<string, BindingRow[]>();
  const routes = new Map<string, RouteRow>();
  const owner = new Map<string, string>();
  const services = model.services.map(({ pkg, s }) => `${pkg}.${s.name}`).filter((s) => s !== OPERATIONS);
  const methods = new Set(model.services.flatMap(({ pkg, s }) => (s.method ?? []).map((m) => `${pkg}.${s.name}.${m.name}`)));
  const hasOperations = image.file.some((f) => f.package === 'google.longrunning');
  const proto = protoRules(image);
  for (const config of configs) {
    const targets = services.filter((s) => configures(config, s));
    if (targets.length === 0) {
      throw new Error(
        `service config ${config.file} configures none of the generated services (it names ${config.apis.join(', ') || 'none'}; generated: ${services.join(', ') || 'none'})`,
      );
    }
    const row: RouteRow = { ...proto };
    for (const rule of config.rules) {
      const where = `service config ${config.file}: the rule for ${rule.selector}`;
      const rpc = rule.selector.startsWith(`${OPERATIONS}.`) ? rule.selector.slice(OPERATIONS.length + 1) : undefined;
      const key = rpc === undefined ? undefined : ROUTED[rpc as keyof typeof ROUTED];
      if (key !== undefined) {
        const bindings = bindingsOf(rule, where);
        for (const b of bindings) checkRoute(b, where);
        row[key] = bindings;
      } else if (methods.has(rule.selector)) overrides.set(rule.selector, bindingsOf(rule, where));
    }
    if (!hasOperations) continue;
    for (const s of targets) {
      const before = owner.get(s);
      if (before !== undefined) throw new Error(`${s} is configured by two service configs (${before} and ${config.file})`);
      owner.set(s, config.file);
      routes.set(s, row);
    }
  }
  const ordered = new Map(services.filter((s) => routes.has(s)).map((s) => [s, routes.get(s)!] as const));
  return { overrides, routes: ordered };
}
