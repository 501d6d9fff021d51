/** The annotators' ProductCatalog over the state store (what PRODUCT_SEARCH matches against). */
import type { ImageSignature, IndexedReferenceImage, ProductCatalog } from '../annotators/index.js';
import type { StateStore } from '../state/state-store.js';
import { timestampFromMs } from '../time.js';
import { productMessage, productSetMessage, referenceImageMessage } from './messages.js';

/** A live view of the store: sets, and the indexed images of their products. */
export function createCatalog(store: StateStore, isCurrent: (signature: unknown) => boolean): ProductCatalog {
  return {
    productSet(name) {
      const row = store.productSets.get(name);
      return row ? productSetMessage(row) : undefined;
    },
    *indexedImages(setName): Iterable<IndexedReferenceImage> {
      for (const productName of store.members.get(setName) ?? []) {
        const product = store.products.get(productName);
        if (!product) continue;
        const productMsg = productMessage(product);
        for (const imageName of store.imagesOf.get(productName) ?? []) {
          const image = store.images.get(imageName);
          if (!image || !isCurrent(image.signature)) continue;
          yield {
            product: productMsg,
            referenceImage: referenceImageMessage(image),
            signature: image.signature as ImageSignature,
            indexTime: timestampFromMs(image.indexTime ?? 0),
          };
        }
      }
    },
  };
}
