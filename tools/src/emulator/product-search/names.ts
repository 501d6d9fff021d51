/**
 * Resource names and ids of Product Search, checked the way the proto
 * comments state them: `projects/P/locations/L[/products/ID[/referenceImages/ID]]`,
 * `projects/P/locations/L/productSets/ID`; ids at most 128 characters
 * without "/". `L` must be one of the four locations Product Search runs in
 * (`us-west1`, `us-east1`, `europe-west1`, `asia-east1`; see
 * `product-search-vocabulary.ts`): any other is INVALID_ARGUMENT naming the
 * field, the location and the valid ones, on every method.
 */
import { randomBytes } from 'node:crypto';
import { locationProblem } from '../annotators/product-search-vocabulary.js';
import { invalidArgument } from '../errors.js';

/** Longest user-supplied id. */
export const MAX_ID_LENGTH = 128;

/** A `projects/P/locations/L` parent. */
export interface LocationName {
  readonly project: string;
  readonly location: string;
  /** `projects/P/locations/L`. */
  readonly name: string;
}

/** A name under a location: `<location>/<collection>/<id>`. */
export interface ChildName extends LocationName {
  readonly id: string;
  /** The parent `projects/P/locations/L`. */
  readonly parent: string;
}

/** A reference image name. */
export interface ReferenceImageName extends ChildName {
  /** The product's name. */
  readonly product: string;
  readonly productId: string;
}

const SEG = '([^/]+)';
const LOCATION = new RegExp(`^projects/${SEG}/locations/${SEG}$`);
const PRODUCT = new RegExp(`^projects/${SEG}/locations/${SEG}/products/${SEG}$`);
const PRODUCT_SET = new RegExp(`^projects/${SEG}/locations/${SEG}/productSets/${SEG}$`);
const REFERENCE_IMAGE = new RegExp(`^projects/${SEG}/locations/${SEG}/products/${SEG}/referenceImages/${SEG}$`);
const OPERATION = new RegExp(`^projects/${SEG}/locations/${SEG}/operations/${SEG}$`);

function checkLocation(location: string, field: string): void {
  const problem = locationProblem(location);
  if (problem) throw invalidArgument(field, problem);
}

function missing(field: string, format: string): never {
  throw invalidArgument(field, `is required (format: ${format})`);
}

/** Parses `projects/P/locations/L` in request field `field`. */
export function parseLocationName(value: string, field: string): LocationName {
  const format = 'projects/PROJECT_ID/locations/LOC_ID';
  if (!value) missing(field, format);
  const m = LOCATION.exec(value);
  if (!m) throw invalidArgument(field, `${JSON.stringify(value)} is not a valid location name (format: ${format})`);
  checkLocation(m[2]!, field);
  return { project: m[1]!, location: m[2]!, name: value };
}

function parseChild(value: string, field: string, re: RegExp, format: string, kind: string): ChildName {
  if (!value) missing(field, format);
  const m = re.exec(value);
  if (!m) throw invalidArgument(field, `${JSON.stringify(value)} is not a valid ${kind} name (format: ${format})`);
  checkLocation(m[2]!, field);
  const parent = `projects/${m[1]}/locations/${m[2]}`;
  return { project: m[1]!, location: m[2]!, name: value, id: m[3]!, parent };
}

/** Parses a Product name. */
export function parseProductName(value: string, field: string): ChildName {
  return parseChild(value, field, PRODUCT, 'projects/PROJECT_ID/locations/LOC_ID/products/PRODUCT_ID', 'product');
}

/** Parses a ProductSet name. */
export function parseProductSetName(value: string, field: string): ChildName {
  return parseChild(value, field, PRODUCT_SET, 'projects/PROJECT_ID/locations/LOC_ID/productSets/PRODUCT_SET_ID', 'product set');
}

/** Parses a ReferenceImage name. */
export function parseReferenceImageName(value: string, field: string): ReferenceImageName {
  const format = 'projects/PROJECT_ID/locations/LOC_ID/products/PRODUCT_ID/referenceImages/IMAGE_ID';
  if (!value) missing(field, format);
  const m = REFERENCE_IMAGE.exec(value);
  if (!m) throw invalidArgument(field, `${JSON.stringify(value)} is not a valid reference image name (format: ${format})`);
  checkLocation(m[2]!, field);
  const parent = `projects/${m[1]}/locations/${m[2]}`;
  return {
    project: m[1]!,
    location: m[2]!,
    name: value,
    id: m[4]!,
    parent,
    product: `${parent}/products/${m[3]}`,
    productId: m[3]!,
  };
}

/** True for `projects/P/locations/L/operations/ID`. */
export function isLocationOperationName(value: string): boolean {
  return OPERATION.test(value);
}

/** Why a user-supplied id is refused, or undefined. */
export function idProblem(id: string): string | undefined {
  if ([...id].length > MAX_ID_LENGTH) return `must be at most ${MAX_ID_LENGTH} characters long`;
  if (id.includes('/')) return 'must not contain "/"';
  return undefined;
}

/** Checks an id given in request field `field` (an empty id means "let the server choose"). */
export function checkId(id: string, field: string): void {
  const problem = idProblem(id);
  if (problem) throw invalidArgument(field, `${JSON.stringify(id.length > 200 ? `${id.slice(0, 200)}…` : id)} ${problem}`);
}

/** A server-assigned id: 20 lower-case hex digits. */
export function newId(): string {
  return randomBytes(10).toString('hex');
}
