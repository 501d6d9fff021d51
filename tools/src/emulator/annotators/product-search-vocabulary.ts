/**
 * The values Product Search knows: its product categories and the locations
 * it runs in. The ProductSearch service checks products, import lines and
 * resource names against them; the annotators check
 * `productSearchParams.productCategories` and `productSearchParams.productSet`.
 *
 * Sources:
 * - Categories: Google's product-categories page
 *   (https://cloud.google.com/vision/product-search/docs/product-categories)
 *   lists `homegoods-v2`, `apparel-v2`, `toys-v2`, `packagedgoods-v1` and
 *   `general-v1`, with the legacy `homegoods`, `apparel` and `toys`; the
 *   comment on `ProductSearchParams.product_categories` (product_search.proto)
 *   agrees. The older comment on `Product.product_category`
 *   (product_search_service.proto) names only the first three and the legacy
 *   ones; the page and the newer comment win, so `general-v1` (the category
 *   most tutorials use) and `packagedgoods-v1` are accepted everywhere.
 * - Locations: every Product Search page
 *   (e.g. https://cloud.google.com/vision/product-search/docs/create-product)
 *   gives `us-west1`, `us-east1`, `europe-west1` and `asia-east1` as the valid
 *   location ids.
 */

/** Product categories (current, then legacy). */
export const PRODUCT_CATEGORIES: readonly string[] = [
  'homegoods-v2',
  'apparel-v2',
  'toys-v2',
  'packagedgoods-v1',
  'general-v1',
  'homegoods',
  'apparel',
  'toys',
];

/** The locations Product Search runs in. */
export const PRODUCT_SEARCH_LOCATIONS: readonly string[] = ['us-west1', 'us-east1', 'europe-west1', 'asia-east1'];

/** Why `value` is not a product category (naming the valid ones), or undefined when it is one. */
export function categoryProblem(value: string): string | undefined {
  if (PRODUCT_CATEGORIES.includes(value)) return undefined;
  return `${JSON.stringify(value)} is not a product category (one of ${PRODUCT_CATEGORIES.join(', ')})`;
}

/** Why `location` is not a Product Search location (naming the four valid ones), or undefined when it is one. */
export function locationProblem(location: string): string | undefined {
  if (PRODUCT_SEARCH_LOCATIONS.includes(location)) return undefined;
  return `the location ${JSON.stringify(location)} has no Product Search (valid locations: ${PRODUCT_SEARCH_LOCATIONS.join(', ')})`;
}
