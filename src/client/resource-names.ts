import { RESOURCES } from '../../gen/schema/resources.js';
import { shown } from '../core/check-options.js';
import * as codes from '../core/codes.js';
import { VisionError } from '../core/vision-error.js';

/** A resource name that does not fit its pattern, or a value that cannot go into one. */
export class ResourceNameError extends VisionError {
  /** The offending name (when parsing) or undefined (when formatting). */
  readonly resourceName: string | undefined;
  /** The pattern it was checked against, e.g. `projects/{project}/locations/{location}`. */
  readonly pattern: string;

  constructor(message: string, pattern: string, resourceName?: string) {
    super(codes.INVALID_ARGUMENT, message);
    this.name = 'ResourceNameError';
    this.pattern = pattern;
    this.resourceName = resourceName;
  }
}

/**
 * Formats and parses names of one pattern, e.g.
 * `projects/{project}/locations/{location}/products/{product}`. Callable:
 * `productName('demo', 'us-west1', 'shoe')` is the name with the values in
 * the pattern's order (`A` types them), the same as
 * `productName.format({ project: 'demo', location: 'us-west1', product: 'shoe' })`;
 * `productName.parse(name)` gives the values back.
 */
export interface ResourceName<V extends string, A extends readonly string[] = readonly string[]> {
  /**
   * The name with the pattern's variables filled in order; throws
   * {@link ResourceNameError} for a wrong count of values or a value `format` refuses.
   */
  (...values: A): string;
  /** The pattern. */
  readonly pattern: string;
  /** Its variables in order. */
  readonly variables: readonly V[];
  /**
   * The name with every variable filled in; throws {@link ResourceNameError} for
   * a missing or empty value, `.` or `..`, or one holding `/`.
   */
  format(values: Readonly<Record<V, string>>): string;
  /**
   * The variables of a name; throws {@link ResourceNameError} naming what does
   * not fit (an empty, `.` or `..` segment included).
   */
  parse(name: string): Record<V, string>;
  /** True when `name` fits the pattern. */
  matches(name: string): boolean;
}

type Segment = { readonly literal: string } | { readonly variable: string };

/**
 * Helpers for a pattern of literal segments and `{variable}` segments (each
 * variable one segment, as every pattern of `gen/schema/resources.ts` is).
 */
export function resourceNameFromPattern<V extends string = string, A extends readonly string[] = readonly string[]>(
  pattern: string,
): ResourceName<V, A> {
  const segments: Segment[] = pattern.split('/').map((part) => {
    const m = /^\{([a-z][a-z0-9_]*)\}$/.exec(part);
    if (m) return { variable: m[1] as string };
    if (part === '' || /[{}*]/.test(part)) {
      throw new ResourceNameError(`unsupported resource name pattern "${pattern}" (segment "${part}")`, pattern);
    }
    return { literal: part };
  });
  const variables = segments.flatMap((s) => ('variable' in s ? [s.variable as V] : []));

  function parseOrWhy(name: string): Record<V, string> | string {
    if (typeof name !== 'string') return 'it is not a string';
    const parts = name.split('/');
    if (parts.length !== segments.length) {
      return `it has ${parts.length} segment${parts.length === 1 ? '' : 's'}, the pattern ${segments.length}`;
    }
    const values: Record<string, string> = {};
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i] as Segment;
      const part = parts[i] as string;
      if ('literal' in seg) {
        if (part !== seg.literal) return `segment ${i + 1} is "${part}", expected "${seg.literal}"`;
      } else {
        if (part === '' || part === '.' || part === '..') return `{${seg.variable}} (segment ${i + 1}) is ${part ? `"${part}"` : 'empty'}`;
        values[seg.variable] = part;
      }
    }
    return values as Record<V, string>;
  }

  function format(valueAt: (variable: string, index: number) => unknown): string {
    let index = 0;
    return segments
      .map((seg) => {
        if ('literal' in seg) return seg.literal;
        const value = valueAt(seg.variable, index++);
        if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
          throw new ResourceNameError(`{${seg.variable}} of ${pattern} is missing or empty, or "." or ".." (got ${shown(value)})`, pattern);
        }
        if (value.includes('/')) {
          throw new ResourceNameError(`{${seg.variable}} of ${pattern} may not contain "/" (got "${value}")`, pattern);
        }
        return value;
      })
      .join('/');
  }

  const call = (...values: A): string => {
    if (values.length !== variables.length) {
      throw new ResourceNameError(
        `${pattern} takes ${variables.length} value${variables.length === 1 ? '' : 's'} (${variables.join(', ')}), got ${values.length}`,
        pattern,
      );
    }
    return format((_, i) => values[i]);
  };
  return Object.freeze(
    Object.assign(call, {
      pattern,
      variables,
      format(values: Readonly<Record<V, string>>): string {
        if (values === null || typeof values !== 'object') {
          throw new ResourceNameError(`format of ${pattern} takes an object of values (got ${shown(values)})`, pattern);
        }
        return format((variable) => (values as Record<string, unknown>)[variable]);
      },
      parse(name: string): Record<V, string> {
        const result = parseOrWhy(name);
        if (typeof result === 'string') {
          throw new ResourceNameError(`"${String(name)}" is not a name of the form ${pattern}: ${result}`, pattern, String(name));
        }
        return result;
      },
      matches(name: string): boolean {
        return typeof parseOrWhy(name) !== 'string';
      },
    }),
  );
}

/**
 * Helpers for a resource type of `gen/schema/resources.ts` (its first
 * pattern), e.g. `resourceName('vision.googleapis.com/Product')`. Throws
 * NOT_FOUND for an unknown type.
 */
export function resourceName<V extends string = string, A extends readonly string[] = readonly string[]>(type: string): ResourceName<V, A> {
  const row = Object.hasOwn(RESOURCES, type) ? RESOURCES[type] : undefined;
  const pattern = row?.patterns[0];
  if (pattern === undefined) throw new VisionError(codes.NOT_FOUND, `unknown resource type "${type}"`);
  return resourceNameFromPattern<V, A>(pattern);
}

/**
 * `projects/{project}/locations/{location}`, the parent of products and
 * product sets: `locationName('demo', 'us-west1')`.
 */
export const locationName: ResourceName<'project' | 'location', [project: string, location: string]> =
  /* @__PURE__ */ resourceNameFromPattern('projects/{project}/locations/{location}');

/** `projects/{project}/locations/{location}/products/{product}`: `productName('demo', 'us-west1', 'shoe')`. */
export const productName: ResourceName<'project' | 'location' | 'product', [project: string, location: string, product: string]> =
  /* @__PURE__ */ resourceName('vision.googleapis.com/Product');

/** `projects/{project}/locations/{location}/productSets/{product_set}`: `productSetName('demo', 'us-west1', 'shoes')`. */
export const productSetName: ResourceName<'project' | 'location' | 'product_set', [project: string, location: string, productSet: string]> =
  /* @__PURE__ */ resourceName('vision.googleapis.com/ProductSet');

/**
 * `projects/{project}/locations/{location}/products/{product}/referenceImages/{reference_image}`:
 * `referenceImageName('demo', 'us-west1', 'shoe', 'front')`.
 */
export const referenceImageName: ResourceName<
  'project' | 'location' | 'product' | 'reference_image',
  [project: string, location: string, product: string, referenceImage: string]
> = /* @__PURE__ */ resourceName('vision.googleapis.com/ReferenceImage');
