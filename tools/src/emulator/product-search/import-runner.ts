/**
 * The work of ImportProductSets: one CSV line per step. A line's effects
 * (product set, product, membership, reference image) and its status are one
 * journal record, so a restart resumes at the next line with nothing applied
 * twice. State PROCESSING → SUCCESSFUL (some line succeeded) or FAILED.
 */

import { Code, VisionError } from 'vision-kit';
import { ImportProductSetsResponse } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { MAX_IMAGE_BYTES } from '../annotators/limits.js';
import type { AnnotationEngine } from '../image-annotator/engine.js';
import type { CancelDetail, Runner } from '../operations/operation-manager.js';
import type { ImportProgress, ReferenceImageRow, StateRecord } from '../state/records.js';
import type { StateStore } from '../state/state-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import { readGsUri } from '../storage/read-gs-uri.js';
import { csvLines, type ImportLine, parseImportLine, productFieldsOf } from './import-csv.js';
import { referenceImageMessage } from './messages.js';
import { newId } from './names.js';
import { signatureOf } from './signature.js';
import { MAX_BOUNDING_POLYS, MAX_SETS_PER_PRODUCT } from './validate.js';

/** Largest CSV file ImportProductSets reads. */
export const MAX_CSV_BYTES = 20 * 1024 * 1024;

/** Builds the import runner. */
export function createImportRunner(store: StateStore, objects: ObjectStore, engine: AnnotationEngine): Runner {
  return async (ctx) => {
    const { op } = ctx;
    if (op.progress.type !== 'import') throw new VisionError(Code.INTERNAL, `operation ${op.name} has no import progress`);
    const progress = op.progress;
    const parent = op.name.slice(0, op.name.indexOf('/operations/'));
    const lines = csvLines(progress.csv);
    for (let i = progress.statuses.length; i < lines.length; i++) {
      await ctx.step();
      const lineNo = i + 1;
      let effects: StateRecord[] = [];
      let status = { code: 0, message: '' };
      let image: string | undefined;
      try {
        const line = parseImportLine(lines[i]!, lineNo);
        // A line that creates its product must describe it well: fail before reading the image.
        if (!store.products.has(`${parent}/products/${line.productId}`)) productFieldsOf(line);
        const bytes = await readGsUri(objects, line.imageUri, `line ${lineNo}, column 1 (image-uri)`, MAX_IMAGE_BYTES);
        const prior = priorImage(store, parent, line, progress.images);
        const polys = [...(prior?.boundingPolys ?? []), ...(line.boundingPoly ? [line.boundingPoly] : [])];
        const signature = await signatureOf(engine, bytes, polys, `line ${lineNo}`, () => `line ${lineNo}, column 8 (bounding-poly)`);
        ({ effects, image } = planLine(store, parent, line, lineNo, signature, progress.images));
      } catch (err) {
        const e = VisionError.from(err, Code.INTERNAL);
        status = { code: e.code, message: e.rawMessage.startsWith('line ') ? e.rawMessage : `line ${lineNo}: ${e.rawMessage}` };
        effects = [];
        image = undefined;
      }
      const time = Date.now();
      await ctx.commit({
        t: 'batch',
        records: [...effects, { t: 'op.importLine', name: op.name, status, ...(image ? { image } : {}), time }],
      });
    }
    const ok = progress.statuses.some((s) => s.code === 0);
    return { state: ok ? 'SUCCESSFUL' : 'FAILED', response: importResponse(store, progress) };
  };
}

/** The ImportProductSetsResponse of an import's progress: one status per line done, the images created (encoded). */
export function importResponse(store: StateStore, progress: ImportProgress): Uint8Array {
  return ImportProductSetsResponse.encode({
    referenceImages: [...new Set(progress.images)]
      .map((n) => store.images.get(n))
      .filter((r) => r !== undefined)
      .map(referenceImageMessage),
    statuses: progress.statuses.map((s) => ({ code: s.code, message: s.message, details: [] })),
  }).finish();
}

/**
 * What a cancelled import still reports (BatchOperationMetadata.State
 * CANCELLED: "Any records that were processed before the cancel command are
 * output"): its ImportProductSetsResponse for the lines done, as a detail of
 * the operation's error (code 1, which google.longrunning's
 * CancelOperation prescribes and every client checks).
 */
export function importCancelDetail(store: StateStore): CancelDetail {
  return (op) =>
    op.progress.type === 'import'
      ? {
          typeUrl: 'type.googleapis.com/google.cloud.vision.v1p4beta1.ImportProductSetsResponse',
          value: importResponse(store, op.progress),
        }
      : undefined;
}

/**
 * A reference image an earlier line of this import created for the same
 * product and image URI (and image id, when given): a line with a
 * bounding-poly adds a region of interest to it instead of a new image.
 */
function priorImage(store: StateStore, parent: string, line: ImportLine, importedImages: readonly string[]): ReferenceImageRow | undefined {
  if (!line.boundingPoly) return undefined;
  const productPrefix = `${parent}/products/${line.productId}/referenceImages/`;
  for (const n of importedImages) {
    const r = store.images.get(n);
    if (
      r?.name.startsWith(productPrefix) &&
      r.uri === line.imageUri &&
      r.boundingPolys.length > 0 &&
      (!line.imageId || r.name === productPrefix + line.imageId)
    ) {
      return r;
    }
  }
  return undefined;
}

/** The records one line makes, checked against the current state (synchronously, so nothing races). */
function planLine(
  store: StateStore,
  parent: string,
  line: ImportLine,
  lineNo: number,
  signature: unknown,
  importedImages: readonly string[],
): { effects: StateRecord[]; image?: string } {
  const time = Date.now();
  const effects: StateRecord[] = [];
  const setName = `${parent}/productSets/${line.productSetId}`;
  const productName = `${parent}/products/${line.productId}`;
  if (!store.productSets.has(setName)) {
    effects.push({ t: 'ps.create', row: { name: setName, displayName: line.productSetId, indexTime: 0, order: store.nextOrder() } });
  }
  if (!store.products.has(productName)) {
    const fields = productFieldsOf(line);
    effects.push({
      t: 'p.create',
      row: {
        name: productName,
        displayName: fields.displayName,
        description: '',
        productCategory: fields.productCategory,
        productLabels: fields.labels,
        order: store.nextOrder(),
      },
    });
  }
  const sets = store.setsOf.get(productName);
  if (!sets?.has(setName)) {
    if ((sets?.size ?? 0) >= MAX_SETS_PER_PRODUCT) {
      throw new VisionError(
        Code.FAILED_PRECONDITION,
        `line ${lineNo}: product ${productName} is already in ${MAX_SETS_PER_PRODUCT} product sets`,
      );
    }
    effects.push({ t: 'm.add', set: setName, product: productName, time });
  }
  const polys = line.boundingPoly ? [line.boundingPoly] : [];
  const prior = priorImage(store, parent, line, importedImages);
  if (prior) {
    if (prior.boundingPolys.length >= MAX_BOUNDING_POLYS) {
      throw new VisionError(
        Code.INVALID_ARGUMENT,
        `line ${lineNo}, column 8 (bounding-poly): image ${prior.name} already has ${MAX_BOUNDING_POLYS} bounding polygons`,
      );
    }
    effects.push({ t: 'ri.addPolys', name: prior.name, polys, time });
    if (signature !== undefined) effects.push({ t: 'ri.signature', name: prior.name, signature, time });
    return { effects };
  }
  const imageName = `${productName}/referenceImages/${line.imageId || newId()}`;
  if (store.images.has(imageName)) {
    throw new VisionError(Code.ALREADY_EXISTS, `line ${lineNo}, column 2 (image-id): reference image ${imageName} already exists`);
  }
  effects.push({
    t: 'ri.create',
    row: {
      name: imageName,
      uri: line.imageUri,
      boundingPolys: polys,
      order: store.nextOrder(),
      ...(signature === undefined ? {} : { signature }),
    },
    time,
  });
  return { effects, image: imageName };
}
