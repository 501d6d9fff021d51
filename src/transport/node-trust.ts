/**
 * Which certificate authorities the transports trust on Node.
 *
 * Without a `ca` option nothing is set and the standard places decide: REST
 * (fetch) uses Node's trust, which includes `NODE_EXTRA_CA_CERTS` (read by
 * Node at start-up); gRPC uses the file named by
 * `GRPC_DEFAULT_SSL_ROOTS_FILE_PATH` when set (in place of the defaults, as
 * in every gRPC implementation; read when the transport is made), else
 * Node's trust too. A `ca` option (PEM text, one or more certificates, or a
 * list of them) is added to those defaults rather than replacing them, so
 * a TLS-inspecting corporate proxy's CA can be trusted without losing the
 * public roots for hosts the proxy does not intercept.
 */

import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { badOption } from '../core/check-options.js';

/** The `ca` option: PEM certificates, as text or bytes, one or a list. */
export type CaOption = string | Uint8Array | readonly (string | Uint8Array)[];

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The certificates of a `ca` option, one PEM block each; undefined when
 * absent. INVALID_ARGUMENT `<where>: ca …` unless every entry holds at least
 * one certificate and every certificate parses.
 */
export function checkCa(where: string, ca: unknown): string[] | undefined {
  if (ca === undefined) return undefined;
  const entries = Array.isArray(ca) ? (ca as unknown[]) : [ca];
  if (entries.length === 0) badOption(where, 'ca is an empty list');
  const out: string[] = [];
  entries.forEach((entry, i) => {
    const name = Array.isArray(ca) ? `ca[${i}]` : 'ca';
    if (typeof entry !== 'string' && !(entry instanceof Uint8Array)) badOption(where, `${name} must be PEM text or bytes`);
    const text = typeof entry === 'string' ? entry : new TextDecoder().decode(entry);
    const blocks = text.match(PEM_BLOCK) ?? [];
    if (blocks.length === 0) badOption(where, `${name} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch (err) {
        badOption(where, `${name} holds a certificate that does not parse: ${err instanceof Error ? err.message : String(err)}`);
      }
      out.push(block);
    }
  });
  return out;
}

/** Node's default trust: its bundled roots and `NODE_EXTRA_CA_CERTS` (as Node read it at start-up, where Node can say). */
export function defaultRoots(): string[] {
  const get = (tls as { getCACertificates?: (type?: string) => string[] }).getCACertificates;
  if (typeof get === 'function') return get('default');
  return [...tls.rootCertificates, ...extraCerts()];
}

/** The certificates of the file named by `NODE_EXTRA_CA_CERTS` (none when unset or unreadable: Node warned at start-up). */
function extraCerts(): string[] {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return readFileSync(file, 'utf8').match(PEM_BLOCK) ?? [];
  } catch {
    return [];
  }
}

/**
 * The root certificates for grpc-js's `createSsl`: null for grpc-js's own
 * default (Node's trust) when there is neither a `ca` nor
 * `GRPC_DEFAULT_SSL_ROOTS_FILE_PATH`. INVALID_ARGUMENT naming the variable
 * when its file cannot be read.
 */
export function grpcRoots(where: string, ca: readonly string[] | undefined): Buffer | null {
  const file = process.env.GRPC_DEFAULT_SSL_ROOTS_FILE_PATH;
  let base: string | undefined;
  if (file) {
    try {
      base = readFileSync(file, 'utf8');
    } catch (err) {
      badOption(where, `GRPC_DEFAULT_SSL_ROOTS_FILE_PATH "${file}" cannot be read: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (ca === undefined) return base === undefined ? null : Buffer.from(base);
  return Buffer.from([...(base === undefined ? defaultRoots() : [base]), ...ca].join('\n'));
}

/** The `ca` for a REST agent: Node's default trust plus the option's certificates; undefined without the option. */
export function restCa(ca: readonly string[] | undefined): string[] | undefined {
  return ca === undefined ? undefined : [...defaultRoots(), ...ca];
}
