/**
 * A service config (`google.api.Service` in YAML, `<api>_<version>.yaml`):
 * googleapis publishes one beside each API's protos in its GitHub
 * repository (e.g. `google/cloud/speech/v1/speech_v1.yaml`); the npm package
 * of protos does not ship them. The generator reads only its `apis` and its
 * `http.rules`: rules for `google.longrunning.Operations` say where the
 * API's operations are polled, cancelled and deleted over REST (Speech v1:
 * `GET /v1/operations/{name=**}`), and rules for the API's own methods
 * replace their proto annotations, as Google's servers do.
 */
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { HttpRuleJson } from './descriptor-image.js';

/** What the generator takes from one service config. */
export interface ServiceConfig {
  /** The file, as given. */
  readonly file: string;
  /** The services it configures (`apis[].name`), mixins included. */
  readonly apis: readonly string[];
  /** Its `http.rules`, each with a selector (a method's full name). */
  readonly rules: readonly (HttpRuleJson & { readonly selector: string })[];
}

type Yaml = { readonly [key: string]: unknown };

const isObject = (v: unknown): v is Yaml => v !== null && typeof v === 'object' && !Array.isArray(v);

/** One YAML rule (snake_case keys, as service configs write them) as HttpRuleJson. */
function ruleOf(raw: unknown, where: string, nested: boolean): HttpRuleJson {
  if (!isObject(raw)) throw new Error(`${where} is not a mapping`);
  const known = new Set(['selector', 'get', 'put', 'post', 'delete', 'patch', 'custom', 'body', 'response_body', 'additional_bindings']);
  for (const key of Object.keys(raw)) if (!known.has(key)) throw new Error(`${where}: unknown key "${key}"`);
  const text = (key: string): string | undefined => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new Error(`${where}.${key} is not a string`);
    return v;
  };
  let custom: HttpRuleJson['custom'];
  if (raw.custom !== undefined) {
    if (!isObject(raw.custom) || typeof raw.custom.kind !== 'string' || typeof raw.custom.path !== 'string') {
      throw new Error(`${where}.custom needs a kind and a path`);
    }
    custom = { kind: raw.custom.kind, path: raw.custom.path };
  }
  const extra = raw.additional_bindings;
  if (extra !== undefined && (nested || !Array.isArray(extra))) {
    throw new Error(nested ? `${where}: additional_bindings nest only one level` : `${where}.additional_bindings is not a list`);
  }
  const rule: Record<string, unknown> = {};
  for (const [key, name] of [
    ['get', 'get'],
    ['put', 'put'],
    ['post', 'post'],
    ['delete', 'delete'],
    ['patch', 'patch'],
    ['body', 'body'],
    ['response_body', 'responseBody'],
  ] as const) {
    const v = text(key);
    if (v !== undefined) rule[name] = v;
  }
  if (custom) rule.custom = custom;
  if (Array.isArray(extra)) rule.additionalBindings = extra.map((e, i) => ruleOf(e, `${where}.additional_bindings[${i}]`, true));
  return rule as HttpRuleJson;
}

/** Reads and checks a service config; throws one line naming the file and the place. */
export function readServiceConfig(file: string, path: string = file): ServiceConfig {
  let doc: unknown;
  try {
    doc = load(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === 'ENOENT') throw new Error(`service config ${file} does not exist`);
    throw new Error(`service config ${file}: ${String(e.message ?? err).split('\n')[0]}`);
  }
  if (!isObject(doc)) throw new Error(`service config ${file} is not a YAML mapping`);
  if (doc.type !== undefined && doc.type !== 'google.api.Service') {
    throw new Error(`service config ${file}: type is ${JSON.stringify(doc.type)}, not google.api.Service`);
  }
  const apis: string[] = [];
  if (doc.apis !== undefined) {
    if (!Array.isArray(doc.apis)) throw new Error(`service config ${file}: apis is not a list`);
    doc.apis.forEach((a: unknown, i) => {
      if (!isObject(a) || typeof a.name !== 'string') throw new Error(`service config ${file}: apis[${i}] has no name`);
      apis.push(a.name);
    });
  }
  const rules: (HttpRuleJson & { selector: string })[] = [];
  const http = doc.http;
  if (http !== undefined) {
    if (!isObject(http) || (http.rules !== undefined && !Array.isArray(http.rules)))
      throw new Error(`service config ${file}: http.rules is not a list`);
    ((http.rules as unknown[] | undefined) ?? []).forEach((raw, i) => {
      const where = `service config ${file}: http.rules[${i}]`;
      const rule = ruleOf(raw, where, false);
      const selector = (raw as Yaml).selector;
      if (typeof selector !== 'string' || selector === '') throw new Error(`${where} has no selector`);
      if (selector.includes('*')) throw new Error(`${where}: selector "${selector}" has a wildcard; http rules name one method each`);
      rules.push({ ...rule, selector });
    });
  }
  return { file, apis, rules };
}
