import { Code, VisionError } from 'vision-kit';
import type {
  ProductSearchParams,
  ProductSearchResults,
  ProductSearchResults_GroupedResult,
  ProductSearchResults_Result,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search.js';
import type { Timestamp } from 'vision-kit/gen/google/protobuf/timestamp.js';
import { invalidInput } from './annotation-error.js';
import type { IndexedReferenceImage, ProductCatalog } from './contract.js';
import { polyToRect, rectToPolyBoth } from './geometry.js';
import { type RegionSignature, regionSignature, regionSimilarity, SIGNATURE_VERSION } from './image-signature.js';
import { matchesFilter, parseProductFilter } from './product-filter.js';
import { findProductRegions } from './product-regions.js';
import { categoryProblem, locationProblem } from './product-search-vocabulary.js';
import type { PixelRect, Raster } from './raster.js';
import { compareTimestamps, EPOCH } from './timestamps.js';

/** How many products PRODUCT_SEARCH returns when `maxResults` is 0. */
export const DEFAULT_PRODUCT_RESULTS = 10;

const PRODUCT_SET_NAME = /^projects\/[^/]+\/locations\/([^/]+)\/productSets\/[^/]+$/;

/** Checks `productSet` (format and location) and `productCategories` (each a known category); INVALID_ARGUMENT naming the field. */
function checkParams(params: ProductSearchParams, label: string): void {
  const setName = params.productSet;
  const m = PRODUCT_SET_NAME.exec(setName);
  if (!m) {
    throw invalidInput(
      label,
      `productSearchParams.productSet: ${JSON.stringify(setName)} is not a product set name (format: projects/PROJECT_ID/locations/LOC_ID/productSets/PRODUCT_SET_ID)`,
    );
  }
  const where = locationProblem(m[1] as string);
  if (where) throw invalidInput(label, `productSearchParams.productSet: ${where}`);
  // The proto (ProductSearchParams.product_categories) names the categories to give; an unknown one is a mistake, not "no results".
  (params.productCategories ?? []).forEach((c, i) => {
    const problem = categoryProblem(c);
    if (problem) throw invalidInput(label, `productSearchParams.productCategories[${i}]: ${problem}`);
  });
}

/**
 * The best match per product for one query region, best first, at most
 * `limit`; with several query signatures (one object: its box and the whole
 * picture) a reference region scores the best of them.
 */
function searchRegion(
  queries: readonly RegionSignature[],
  candidates: readonly IndexedReferenceImage[],
  limit: number,
): ProductSearchResults_Result[] {
  const best = new Map<string, ProductSearchResults_Result>();
  for (const entry of candidates) {
    let score = 0;
    for (const region of entry.signature.regions) {
      for (const query of queries) score = Math.max(score, regionSimilarity(query, region));
    }
    const previous = best.get(entry.product.name);
    if (score > 0 && (!previous || score > previous.score)) {
      best.set(entry.product.name, { product: structuredClone(entry.product), score, image: entry.referenceImage.name });
    }
  }
  return ranked([...best.values()], limit);
}

function ranked(results: ProductSearchResults_Result[], limit: number): ProductSearchResults_Result[] {
  return results.sort((a, b) => b.score - a.score || (a.product?.name ?? '').localeCompare(b.product?.name ?? '')).slice(0, limit);
}

/**
 * Product search over the catalog. The query regions are the request's
 * `boundingPoly`; else the separate objects found in the picture
 * (`findProductRegions`: distinct objects on a plain light background);
 * else the whole image. A single object found is matched both as its box and
 * as the whole picture, the better counting (so a query framed like its
 * reference image matches as well as before); two or more are each searched
 * on their own. Each region is compared with
 * every indexed reference image of the set's products whose category is the
 * first of `productCategories` (when given) and whose labels pass `filter`.
 * A product's score is that of its best-matching image region
 * (`regionSimilarity`, in [0, 1]); products with score 0 are left out; best
 * first, at most `maxResults`. One grouped result per query region, with its
 * bounding poly; `results` lists each product once, with its best score over
 * the regions. `indexTime` is the latest of the set's and the images' index
 * times. Throws VisionError: INVALID_ARGUMENT (no product set, a malformed
 * set name or one outside the Product Search locations, an unknown category,
 * a bad filter or polygon), NOT_FOUND (unknown product set).
 */
export function productSearch(
  raster: Raster,
  params: ProductSearchParams | undefined,
  catalog: ProductCatalog,
  maxResults: number,
  label: string,
): ProductSearchResults {
  const setName = params?.productSet ?? '';
  if (!params || setName === '') {
    throw invalidInput(label, 'PRODUCT_SEARCH needs imageContext.productSearchParams.productSet');
  }
  checkParams(params, label);
  const filter = parseProductFilter(params.filter ?? '');
  const productSet = catalog.productSet(setName);
  if (!productSet) throw new VisionError(Code.NOT_FOUND, `${label}: product set ${setName} was not found`);

  const { sourceWidth: width, sourceHeight: height } = raster;
  const poly = params.boundingPoly;
  const hasPoly = poly !== undefined && ((poly.vertices?.length ?? 0) > 0 || (poly.normalizedVertices?.length ?? 0) > 0);
  const whole: PixelRect = { x: 0, y: 0, width, height };
  let rects: PixelRect[];
  if (hasPoly) rects = [polyToRect(poly, width, height, label, 'imageContext.productSearchParams.boundingPoly')];
  else {
    const found = findProductRegions(raster);
    rects = found.length > 0 ? found : [whole];
  }
  const alsoWhole = !hasPoly && rects.length === 1 && rects[0] !== whole;
  const category = params.productCategories?.[0] ?? '';

  let indexTime: Timestamp = productSet.indexTime ?? EPOCH;
  const candidates: IndexedReferenceImage[] = [];
  for (const entry of catalog.indexedImages(setName)) {
    if (compareTimestamps(entry.indexTime, indexTime) > 0) indexTime = entry.indexTime;
    if (category !== '' && entry.product.productCategory !== category) continue;
    if (!matchesFilter(entry.product, filter)) continue;
    if (entry.signature.version !== SIGNATURE_VERSION) continue;
    candidates.push(entry);
  }
  const limit = maxResults > 0 ? maxResults : DEFAULT_PRODUCT_RESULTS;
  const groups: ProductSearchResults_GroupedResult[] = rects.map((rect) => ({
    boundingPoly: rectToPolyBoth(rect, width, height),
    results: searchRegion(
      alsoWhole ? [regionSignature(raster, rect), regionSignature(raster, whole)] : [regionSignature(raster, rect)],
      candidates,
      limit,
    ),
    objectAnnotations: [],
  }));
  const overall = new Map<string, ProductSearchResults_Result>();
  for (const g of groups) {
    for (const r of g.results) {
      const name = r.product?.name ?? '';
      const previous = overall.get(name);
      if (!previous || r.score > previous.score) overall.set(name, structuredClone(r));
    }
  }
  return {
    indexTime: { seconds: indexTime.seconds, nanos: indexTime.nanos },
    results: ranked([...overall.values()], limit),
    productGroupedResults: groups,
  };
}
