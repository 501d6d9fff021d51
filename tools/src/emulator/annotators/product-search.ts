import { Code, VisionError } from 'vision-kit';
import type {
  ProductSearchParams,
  ProductSearchResults,
  ProductSearchResults_Result,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search.js';
import type { Timestamp } from 'vision-kit/gen/google/protobuf/timestamp.js';
import { invalidInput } from './annotation-error.js';
import type { ProductCatalog } from './contract.js';
import { polyToRect, rectToPolyBoth } from './geometry.js';
import { regionSignature, regionSimilarity, SIGNATURE_VERSION } from './image-signature.js';
import { matchesFilter, parseProductFilter } from './product-filter.js';
import type { Raster } from './raster.js';
import { compareTimestamps, EPOCH } from './timestamps.js';

/** How many products PRODUCT_SEARCH returns when `maxResults` is 0. */
export const DEFAULT_PRODUCT_RESULTS = 10;

/**
 * Product search over the catalog: the query region (the request's
 * `boundingPoly`, else the whole image) is compared with every indexed
 * reference image of the set's products whose category is the first of
 * `productCategories` (when given) and whose labels pass `filter`. A
 * product's score is that of its best-matching image region
 * (`regionSimilarity`, in [0, 1]); products with score 0 are left out;
 * best first, at most `maxResults`. One grouped result covers the query
 * region. `indexTime` is the latest of the set's and the images' index times.
 * Throws VisionError: INVALID_ARGUMENT (no product set, a bad filter or
 * polygon), NOT_FOUND (unknown product set).
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
  const filter = parseProductFilter(params.filter ?? '');
  const productSet = catalog.productSet(setName);
  if (!productSet) throw new VisionError(Code.NOT_FOUND, `${label}: product set ${setName} was not found`);

  const { sourceWidth: width, sourceHeight: height } = raster;
  const poly = params.boundingPoly;
  const hasPoly = poly !== undefined && ((poly.vertices?.length ?? 0) > 0 || (poly.normalizedVertices?.length ?? 0) > 0);
  const rect = hasPoly
    ? polyToRect(poly, width, height, label, 'imageContext.productSearchParams.boundingPoly')
    : { x: 0, y: 0, width, height };
  const query = regionSignature(raster, rect);
  const category = params.productCategories?.[0] ?? '';

  let indexTime: Timestamp = productSet.indexTime ?? EPOCH;
  const best = new Map<string, ProductSearchResults_Result>();
  for (const entry of catalog.indexedImages(setName)) {
    if (compareTimestamps(entry.indexTime, indexTime) > 0) indexTime = entry.indexTime;
    const product = entry.product;
    if (category !== '' && product.productCategory !== category) continue;
    if (!matchesFilter(product, filter)) continue;
    if (entry.signature.version !== SIGNATURE_VERSION) continue;
    let score = 0;
    for (const region of entry.signature.regions) score = Math.max(score, regionSimilarity(query, region));
    const previous = best.get(product.name);
    if (score > 0 && (!previous || score > previous.score)) {
      best.set(product.name, { product: structuredClone(product), score, image: entry.referenceImage.name });
    }
  }
  const limit = maxResults > 0 ? maxResults : DEFAULT_PRODUCT_RESULTS;
  const results = [...best.values()]
    .sort((a, b) => b.score - a.score || (a.product?.name ?? '').localeCompare(b.product?.name ?? ''))
    .slice(0, limit);
  return {
    indexTime: { seconds: indexTime.seconds, nanos: indexTime.nanos },
    results,
    productGroupedResults: [
      { boundingPoly: rectToPolyBoth(rect, width, height), results: structuredClone(results), objectAnnotations: [] },
    ],
  };
}
