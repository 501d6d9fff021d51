// A ProductCatalog over plain arrays: what the emulator's store gives the annotators, for these tests.

import type { BoundingPoly } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/geometry.js';
import type { Product, ProductSet } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { computeSignature, type IndexedReferenceImage, type ProductCatalog } from '../../../src/emulator/annotators/index.js';

const PARENT = 'projects/p/locations/us-west1';

/** A product with labels given as `key=value` strings. */
export function product(id: string, category: string, labels: readonly string[] = []): Product {
  return {
    name: `${PARENT}/products/${id}`,
    displayName: id,
    description: '',
    productCategory: category,
    productLabels: labels.map((kv) => {
      const [key = '', value = ''] = kv.split('=');
      return { key, value };
    }),
  };
}

/** A product set named `${PARENT}/productSets/<id>`. */
export function productSet(id: string, indexSeconds = 0): ProductSet {
  return {
    name: `${PARENT}/productSets/${id}`,
    displayName: id,
    indexTime: { seconds: String(indexSeconds), nanos: 0 },
    indexError: undefined,
  };
}

/** An in-memory catalog: sets, and the indexed images of each set. */
export class MemoryCatalog implements ProductCatalog {
  private readonly sets = new Map<string, ProductSet>();
  private readonly images = new Map<string, IndexedReferenceImage[]>();

  addSet(set: ProductSet): void {
    this.sets.set(set.name, set);
    this.images.set(set.name, []);
  }

  /** Indexes a reference image of `p` (its signature computed now) into a set. */
  async addImage(
    setName: string,
    p: Product,
    imageId: string,
    bytes: Uint8Array,
    polys: BoundingPoly[] = [],
    indexSeconds = 1_700_000_000,
  ): Promise<void> {
    const signature = await computeSignature(bytes, polys);
    // Persisted signatures go through JSON: make sure that round trip is lossless.
    const stored = JSON.parse(JSON.stringify(signature)) as typeof signature;
    this.images.get(setName)?.push({
      product: p,
      referenceImage: { name: `${p.name}/referenceImages/${imageId}`, uri: `gs://refs/${imageId}.png`, boundingPolys: polys },
      signature: stored,
      indexTime: { seconds: String(indexSeconds), nanos: 0 },
    });
  }

  productSet(name: string): ProductSet | undefined {
    return this.sets.get(name);
  }

  indexedImages(productSetName: string): Iterable<IndexedReferenceImage> {
    return this.images.get(productSetName) ?? [];
  }
}
