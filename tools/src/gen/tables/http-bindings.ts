/** `google.api.http` rules (from a method's option or a service config) as the flat binding rows the tables hold. */
import type { HttpRuleJson } from '../descriptor-image.js';
import { fail } from './model.js';

/** One binding row: `{ method, path, body?, responseBody? }`, as `HttpBinding` in `schema/services.ts`. */
export interface BindingRow {
  method: string;
  path: string;
  body?: string;
  responseBody?: string;
}

/** An HTTP method name: an RFC 9110 token. */
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const VERBS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** One rule (without its additional bindings) as a row; `where` names it in errors. */
export function bindingOf(rule: HttpRuleJson, where: string): BindingRow {
  let method: string | undefined;
  let path: string | undefined;
  for (const v of VERBS) {
    if (rule[v] !== undefined) {
      method = v.toUpperCase();
      path = rule[v];
    }
  }
  if (rule.custom) {
    // Any HTTP method (an RFC 9110 token, e.g. HEAD), or "*" for all.
    method = rule.custom.kind ?? '';
    path = rule.custom.path ?? '';
    if (method !== '*' && !HTTP_TOKEN.test(method)) {
      fail(`${where}: custom binding kind ${JSON.stringify(method)} is not an HTTP method (a token, or "*" for any)`);
    }
  }
  if (method === undefined || path === undefined) fail(`${where}: google.api.http rule has no pattern`);
  const b: BindingRow = { method, path };
  if (rule.body) b.body = rule.body;
  if (rule.responseBody) b.responseBody = rule.responseBody;
  return b;
}

/** A rule and its `additional_bindings` (one level deep), main rule first. */
export function bindingsOf(rule: HttpRuleJson, where: string): BindingRow[] {
  const out = [bindingOf(rule, where)];
  for (const extra of rule.additionalBindings ?? []) {
    if (extra.additionalBindings?.length) fail(`${where}: additional_bindings nest only one level`);
    out.push(bindingOf(extra, where));
  }
  return out;
}
