/** Rows of the state store → Product Search messages. */
import type { Product, ProductSet, ReferenceImage } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import type { ProductRow, ProductSetRow, ReferenceImageRow } from '../state/records.js';
import { timestampFromMs } from '../time.js';

/** A ProductSet message; `indexTimeMs` is its index time as the index says (default: the row's, instant indexing). */
export function productSetMessage(row: ProductSetRow, indexTimeMs = row.indexTime): ProductSet {
  return { name: row.name, displayName: row.displayName, indexTime: timestampFromMs(indexTimeMs), indexError: undefined };
}

/** A Product message. */
export function productMessage(row: ProductRow): Product {
  return {
    name: row.name,
    displayName: row.displayName,
    description: row.description,
    productCategory: row.productCategory,
    productLabels: row.productLabels.map((l) => ({ key: l.key, value: l.value })),
  };
}

/** A ReferenceImage message. */
export function referenceImageMessage(row: ReferenceImageRow): ReferenceImage {
  return { name: row.name, uri: row.uri, boundingPolys: structuredClone(row.boundingPolys) };
}
