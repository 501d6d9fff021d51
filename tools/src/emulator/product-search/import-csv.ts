/**
 * The ImportProductSets CSV format (ImportProductSetsGcsSource.csv_file_uri
 * in product_search_service.proto, and Google's "Formatting a bulk import
 * CSV" page, https://cloud.google.com/vision/product-search/docs/csv-format):
 * one image per line, 8 columns — image-uri, image-id, product-set-id,
 * product-id, product-category, product-display-name, labels ("k=v,k=v"),
 * bounding-poly ("x1,y1,x2,y2,…": an even count of numbers, non-negative
 * integers, or floats in [0, 1] for normalized vertices). At most
 * {@link MAX_CSV_LINES} lines (the call is refused) of at most
 * {@link MAX_CSV_LINE_CHARS} characters (that line fails). Each line parses
 * on its own, so one broken line never hides the others; errors name the
 * line and the column. Display name, category and labels describe a product
 * the line creates: for a product that already exists they are ignored, so
 * they are checked by {@link productFieldsOf} only when the product is made.
 */
import { parse } from 'csv-parse/sync';
import { Code, VisionError } from 'vision-kit';
import type { BoundingPoly } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/geometry.js';
import type { Product_KeyValue } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { categoryProblem } from '../annotators/product-search-vocabulary.js';
import { parseGsUri } from '../storage/gcs-names.js';
import { idProblem } from './names.js';
import { MAX_LABEL_BYTES, MAX_LABELS, MAX_TEXT_CHARS, normalizeBoundingPolys } from './validate.js';

/** The column names, in order. */
export const CSV_COLUMNS = [
  'image-uri',
  'image-id',
  'product-set-id',
  'product-id',
  'product-category',
  'product-display-name',
  'labels',
  'bounding-poly',
] as const;

/** Most lines of one CSV file (Google's CSV format page: "a maximum of 20,000 lines"). */
export const MAX_CSV_LINES = 20_000;
/** Longest line, in characters (the same page: "each line is limited to a maximum of 2,048 characters"). */
export const MAX_CSV_LINE_CHARS = 2048;

/** One parsed line. The product columns are raw: see {@link productFieldsOf}. */
export interface ImportLine {
  readonly lineNo: number;
  readonly imageUri: string;
  readonly imageId: string;
  readonly productSetId: string;
  readonly productId: string;
  /** The product-category column as written (required, checked when the product is created). */
  readonly productCategory: string;
  /** The product-display-name column as written. */
  readonly rawDisplayName: string;
  /** The labels column as written. */
  readonly rawLabels: string;
  readonly boundingPoly: BoundingPoly | undefined;
}

/** The fields of a product a line creates. */
export interface ImportProductFields {
  readonly productCategory: string;
  /** A space when the column is empty, as the proto says. */
  readonly displayName: string;
  readonly labels: Product_KeyValue[];
}

/** The lines of a CSV file (a final line break ends the last line; a byte-order mark is dropped). */
export function csvLines(csv: string): string[] {
  const text = csv.startsWith('\uFEFF') ? csv.slice(1) : csv;
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** INVALID_ARGUMENT naming line `lineNo` (1-based) and, when given, column `column` (0-based) by number and name. */
export function lineError(lineNo: number, column: number | undefined, message: string): VisionError {
  const where = column === undefined ? `line ${lineNo}` : `line ${lineNo}, column ${column + 1} (${CSV_COLUMNS[column]})`;
  return new VisionError(Code.INVALID_ARGUMENT, `${where}: ${message}`);
}

/** Parses line `lineNo` (1-based, for messages); throws INVALID_ARGUMENT naming line and column. */
export function parseImportLine(line: string, lineNo: number): ImportLine {
  if (line.length > MAX_CSV_LINE_CHARS) {
    const chars = [...line].length;
    if (chars > MAX_CSV_LINE_CHARS) {
      throw lineError(lineNo, undefined, `is ${chars} characters long; a line may have at most ${MAX_CSV_LINE_CHARS}`);
    }
  }
  if (line.trim() === '') throw lineError(lineNo, undefined, 'the line is empty');
  let cols: string[];
  try {
    const rows = parse(line, { relax_column_count: true, relax_quotes: false, trim: true }) as string[][];
    if (rows.length !== 1) throw new Error('expected exactly one record');
    cols = rows[0]!;
  } catch (err) {
    throw lineError(lineNo, undefined, `not valid CSV: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  if (cols.length > 8) {
    // An unquoted bounding-poly spills into extra columns; accept it when the spill is all numbers.
    const spill = cols.slice(7);
    if (spill.every((c) => /^\s*[0-9.eE+-]+\s*$/.test(c))) cols = [...cols.slice(0, 7), spill.join(',')];
    else throw lineError(lineNo, undefined, `has ${cols.length} columns, expected 8 (quote fields that contain commas)`);
  }
  if (cols.length < 5) {
    throw lineError(
      lineNo,
      cols.length,
      `is missing (the line has ${cols.length} columns; image-uri, product-set-id, product-id and product-category are required)`,
    );
  }
  const col = (i: number): string => cols[i] ?? '';
  const imageUri = col(0);
  if (!imageUri) throw lineError(lineNo, 0, 'is required');
  try {
    parseGsUri(imageUri, 'image-uri');
  } catch (err) {
    throw lineError(lineNo, 0, err instanceof VisionError ? err.rawMessage.replace(/^image-uri: /, '') : String(err));
  }
  const ids = [1, 2, 3].map((i) => {
    const v = col(i);
    if (!v && i !== 1) throw lineError(lineNo, i, 'is required');
    const problem = v ? idProblem(v) : undefined;
    if (problem) throw lineError(lineNo, i, `${JSON.stringify(v)} ${problem}`);
    return v;
  });
  const productCategory = col(4);
  if (!productCategory) throw lineError(lineNo, 4, 'is required');
  let boundingPoly: BoundingPoly | undefined;
  if (col(7)) {
    const parts = col(7)
      .split(',')
      .map((s) => s.trim());
    const nums = parts.map(Number);
    if (parts.some((s) => s === '') || nums.some((n) => !Number.isFinite(n))) throw lineError(lineNo, 7, 'must be comma-separated numbers');
    if (nums.length % 2 !== 0) throw lineError(lineNo, 7, `needs an even number of numbers (x,y pairs), got ${nums.length}`);
    const absolute = parts.every((s) => /^\d+$/.test(s));
    const pts = [];
    for (let i = 0; i < nums.length; i += 2) pts.push({ x: nums[i]!, y: nums[i + 1]! });
    const poly = absolute ? { vertices: pts, normalizedVertices: [] } : { vertices: [], normalizedVertices: pts };
    try {
      boundingPoly = normalizeBoundingPolys([poly], 'bounding-poly')[0];
    } catch (err) {
      throw lineError(lineNo, 7, err instanceof VisionError ? err.rawMessage.replace(/^bounding-poly\[0\][^:]*: /, '') : String(err));
    }
  }
  return {
    lineNo,
    imageUri,
    imageId: ids[0]!,
    productSetId: ids[1]!,
    productId: ids[2]!,
    productCategory,
    rawDisplayName: col(5),
    rawLabels: col(6),
    boundingPoly,
  };
}

/**
 * Checks the product columns of a line that creates its product (category,
 * display name, labels) and returns them; throws INVALID_ARGUMENT naming the
 * line and column.
 */
export function productFieldsOf(line: ImportLine): ImportProductFields {
  const { lineNo } = line;
  const problem = categoryProblem(line.productCategory);
  if (problem) throw lineError(lineNo, 4, problem);
  const displayName = line.rawDisplayName || ' ';
  if ([...displayName].length > MAX_TEXT_CHARS) throw lineError(lineNo, 5, `must be at most ${MAX_TEXT_CHARS} characters long`);
  const labels: Product_KeyValue[] = [];
  if (line.rawLabels) {
    for (const pair of line.rawLabels.split(',')) {
      const eq = pair.indexOf('=');
      const key = eq < 0 ? '' : pair.slice(0, eq).trim();
      const value = eq < 0 ? '' : pair.slice(eq + 1).trim();
      if (!key || !value) throw lineError(lineNo, 6, `${JSON.stringify(pair)} is not key=value`);
      if (Buffer.byteLength(key) > MAX_LABEL_BYTES || Buffer.byteLength(value) > MAX_LABEL_BYTES) {
        throw lineError(lineNo, 6, `label keys and values must be at most ${MAX_LABEL_BYTES} bytes`);
      }
      labels.push({ key, value });
    }
    if (labels.length > MAX_LABELS) throw lineError(lineNo, 6, `at most ${MAX_LABELS} labels per product`);
  }
  return { productCategory: line.productCategory, displayName, labels };
}
