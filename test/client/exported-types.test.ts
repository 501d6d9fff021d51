/**
 * Every generated message and enum type reaches both entries as a type
 * (src/schema/message-types.ts re-exports whole generated files with
 * `export type *`): each message and enum of the schema tables is declared
 * in one of the listed files, so a regeneration that adds a file fails here
 * naming it. The imports below are the type-level half: they compile only
 * while the names are exported (as types: a message name used as a value is
 * a compile error).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type {
  AnnotateImageRequest,
  AnnotateImageResponse,
  BadRequest,
  BadRequest_FieldViolation,
  Color,
  Duration,
  Feature_Type,
  ImportProductSetsResponse,
  OperationMetadata,
  OperationMetadata_State,
  Product,
  ProductSet,
  ReferenceImage,
  Status,
  Timestamp,
} from 'vision-kit';
import type * as Browser from 'vision-kit/browser';
import { ENUMS, MESSAGES } from 'vision-kit/gen/schema/messages.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BARREL = join(ROOT, 'src', 'schema', 'message-types.ts');

/** The generated files (relative to the repository, `gen/google/….ts`). */
function generatedFiles(dir = join(ROOT, 'gen', 'google')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? generatedFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [relative(ROOT, join(dir, e.name))] : [],
  );
}

/** ts-proto's name of a full name: the package dropped (lower-case parts), the nesting joined by `_`. */
function tsName(fullName: string): string {
  return fullName
    .split('.')
    .filter((part) => !/^[a-z]/.test(part))
    .join('_');
}

describe('client: the generated types from the entries', () => {
  it('the barrel re-exports, as types only, every generated file that declares a message or enum of the schema tables', () => {
    const text = readFileSync(BARREL, 'utf8');
    const listed = new Set([...text.matchAll(/^export type \* from '\.\.\/\.\.\/(gen\/[^']+)\.js';$/gm)].map((m) => `${m[1]}.ts`));
    assert.equal(/^export (?!type \*)/m.test(text), false, 'nothing but `export type *` lines');
    const files = generatedFiles();
    const declaring = new Map<string, string>();
    for (const file of files) {
      const source = readFileSync(join(ROOT, file), 'utf8');
      for (const m of source.matchAll(/^export (?:interface|enum) (\w+)/gm)) declaring.set(m[1]!, file);
    }
    const needed = new Set<string>();
    for (const fullName of [...Object.keys(MESSAGES), ...Object.keys(ENUMS)]) {
      if (fullName.endsWith('Entry')) continue; // map entries: ts-proto declares them too, but they are no API types
      const file = declaring.get(tsName(fullName));
      assert.ok(file, `${fullName} (${tsName(fullName)}) is declared in a generated file`);
      needed.add(file);
    }
    assert.deepEqual([...needed].filter((f) => !listed.has(f)).sort(), [], 'files the barrel lacks');
    assert.deepEqual(
      [...listed].filter((f) => !needed.has(f)).sort(),
      [],
      'files the barrel lists whose types the schema does not hold (compiler options)',
    );
  });

  it('the types are the generated ones, from both entries (compile-time)', () => {
    const product: Product = { name: 'n', displayName: '', description: '', productCategory: '', productLabels: [] };
    const sameShape: Browser.Product = product;
    const violation: BadRequest_FieldViolation = { field: 'name', description: 'd', reason: '', localizedMessage: undefined };
    const bad: BadRequest = { fieldViolations: [violation] };
    const state: OperationMetadata_State = 3 as OperationMetadata_State;
    const feature: Feature_Type = 7 as Feature_Type;
    const parts: [
      AnnotateImageRequest?,
      AnnotateImageResponse?,
      Color?,
      Duration?,
      ImportProductSetsResponse?,
      OperationMetadata?,
      ProductSet?,
      ReferenceImage?,
      Status?,
      Timestamp?,
    ] = [];
    assert.deepEqual([sameShape.name, bad.fieldViolations[0]?.field, state, feature, parts.length], ['n', 'name', 3, 7, 0]);
  });
});
