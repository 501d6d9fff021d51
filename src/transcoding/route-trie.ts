/**
 * A routing trie over compiled path templates (the server direction's path
 * lookup), schema-free. Decisions (docs/transcoding.md, "The server: matching a path"):
 * - The most specific template wins, segment by segment from the left: a
 *   literal beats `*`, which beats `**` (Envoy's trie; grpc-gateway's
 *   registration order is not used). `**` tries its longest span first.
 * - The lookup is per HTTP method: a path that matches a template of another
 *   method only gives the set of allowed methods (for a 405). Methods are
 *   whatever the bindings say, so `custom` kinds (`HEAD`, …) route like
 *   `GET`. The wildcard kind {@link ANY_METHOD} (http.proto: "`*` to leave
 *   the HTTP method unspecified") matches every method that has no route of
 *   its own at the same template: path specificity first, then the exact
 *   method before the wildcard.
 * - Empty segments match nothing (`/a//b`, a trailing `/`: 404, never an
 *   empty capture). The path `/` is no segments at all: it ends at the root
 *   node, where only the root template `/` is inserted.
 * - Two templates with the same shape (same literals, wildcards and verb) for
 *   the same HTTP method cannot both be served: inserting the second throws a
 *   `TemplateError` (Envoy's `fail_registration_on_duplicate`), so the
 *   lookup never silently picks one.
 */
import type { PathTemplate } from './path-template.js';
import { TemplateError } from './template-error.js';

/** The `custom` kind of a binding that serves every HTTP method. */
export const ANY_METHOD = '*';

interface Node<T> {
  readonly lit: Map<string, Node<T>>;
  star: Node<T> | undefined;
  deep: Node<T> | undefined;
  /** Routes ending here: verb ('' for none) → HTTP method → entry. */
  ends: Map<string, Map<string, T>> | undefined;
}

function newNode<T>(): Node<T> {
  return { lit: new Map(), star: undefined, deep: undefined, ends: undefined };
}

/** The outcome of {@link RouteTrie.find}. */
export interface TrieResult<T> {
  /** The entry for the requested method, when one matches. */
  readonly entry: T | undefined;
  /** Methods whose templates match the path (filled when `entry` is undefined). */
  readonly allowed: ReadonlySet<string>;
}

/**
 * Templates by HTTP method and shape; `find` walks decoded path segments.
 * `T` is whatever the caller keeps per route.
 */
export class RouteTrie<T> {
  private readonly root: Node<T> = newNode();
  private readonly owners = new Map<string, string>();
  /** Every verb of an inserted template. */
  readonly verbs = new Set<string>();

  /**
   * Adds a route; `owner` names it in the error thrown when another route of
   * the same HTTP method already has a template of the same shape. A `*`
   * route passes `sendMethod`, the method clients send it with (GET without a
   * body, POST with one), and claims that method's paths too.
   */
  insert(httpMethod: string, template: PathTemplate, entry: T, owner: string, sendMethod = httpMethod): void {
    let node = this.root;
    for (const s of template.segments) {
      if (s.kind === 'literal') {
        let next = node.lit.get(s.literal);
        if (next === undefined) node.lit.set(s.literal, (next = newNode()));
        node = next;
      } else if (s.kind === '*') {
        node = node.star ??= newNode();
      } else {
        node = node.deep ??= newNode();
      }
    }
    const verb = template.verb ?? '';
    node.ends ??= new Map();
    let byMethod = node.ends.get(verb);
    if (byMethod === undefined) node.ends.set(verb, (byMethod = new Map()));
    const paths = `${template.segments.map((s) => (s.kind === 'literal' ? `=${s.literal}` : s.kind)).join('/')}:${verb}`;
    // A "*" route also claims the method its clients send (GET or POST): an
    // exact route of that method on the same paths would take every such call.
    const claimed = sendMethod === httpMethod ? [httpMethod] : [httpMethod, sendMethod];
    for (const m of claimed) {
      const previous = this.owners.get(`${m} ${paths}`);
      if (previous !== undefined) {
        throw new TemplateError(template.text, 0, `${m} ${template.text} (${owner}) matches the same paths as a route of ${previous}`);
      }
    }
    for (const m of claimed) this.owners.set(`${m} ${paths}`, owner);
    byMethod.set(httpMethod, entry);
    if (verb !== '') this.verbs.add(verb);
  }

  /**
   * Finds the most specific route of `httpMethod` for decoded segments and a
   * verb ('' for none); when none, reports which methods' routes match.
   */
  find(httpMethod: string, segments: readonly string[], verb: string): TrieResult<T> {
    const allowed = new Set<string>();
    const n = segments.length;
    let found: T | undefined;
    const walk = (node: Node<T>, i: number): boolean => {
      if (i === n) {
        const byMethod = node.ends?.get(verb);
        if (byMethod === undefined) return false;
        const e = byMethod.get(httpMethod) ?? byMethod.get(ANY_METHOD);
        if (e !== undefined) {
          found = e;
          return true;
        }
        for (const m of byMethod.keys()) allowed.add(m);
        return false;
      }
      const seg = segments[i]!;
      if (seg === '') return false;
      const child = node.lit.get(seg);
      if (child !== undefined && walk(child, i + 1)) return true;
      if (node.star !== undefined && walk(node.star, i + 1)) return true;
      if (node.deep !== undefined) {
        let last = i;
        while (last + 1 < n && segments[last + 1] !== '') last++;
        for (let k = last + 1; k > i; k--) if (walk(node.deep, k)) return true;
      }
      return false;
    };
    walk(this.root, 0);
    return { entry: found, allowed };
  }
}
