/**
 * google.cloud.vision.v1p4beta1.ProductSearch: the 19 methods as the proto
 * comments specify them — resource names, server-assigned ids, id rules,
 * the documented errors and limits, update masks, opaque page tokens,
 * cascading deletes; ImportProductSets and PurgeProducts as operations.
 */
import {
  ImportProductSetsRequest,
  ProductSearchDefinition,
  PurgeProductsRequest,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/product_search_service.js';
import { defineService, type ServiceImpl } from 'vision-kit/serving';
import { MAX_IMAGE_BYTES } from '../annotators/limits.js';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../errors.js';
import type { AnnotationEngine } from '../image-annotator/engine.js';
import type { OperationManager } from '../operations/operation-manager.js';
import type { ProductSetRow } from '../state/records.js';
import type { StateStore } from '../state/state-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import { readGsUri } from '../storage/read-gs-uri.js';
import { csvLines, MAX_CSV_LINES } from './import-csv.js';
import { MAX_CSV_BYTES } from './import-runner.js';
import { productMessage, productSetMessage, referenceImageMessage } from './messages.js';
import { checkId, newId, parseLocationName, parseProductName, parseProductSetName, parseReferenceImageName } from './names.js';
import { pageSizeOf, paginate } from './paging.js';
import type { ProductIndex } from './product-index.js';
import { signatureOf } from './signature.js';
import {
  checkCategory,
  checkDescription,
  checkDisplayName,
  checkLabels,
  MAX_SETS_PER_PRODUCT,
  MAX_URI_CHARS,
  maskPaths,
  normalizeBoundingPolys,
} from './validate.js';

/** What the ProductSearch service works on. */
export interface ProductSearchDeps {
  readonly store: StateStore;
  readonly objects: ObjectStore;
  readonly engine: AnnotationEngine;
  readonly ops: OperationManager;
  /** The search index (index times of product sets). */
  readonly index: ProductIndex;
}

/** The ProductSearch service. */
export function createProductSearchService(deps: ProductSearchDeps): ServiceImpl {
  const { store, objects, engine, ops, index } = deps;
  const setMessage = (row: ProductSetRow) => productSetMessage(row, index.indexTimeOf(row));

  const productSetOrThrow = (name: string) => {
    const row = store.productSets.get(name);
    if (!row) throw notFound('vision.googleapis.com/ProductSet', name);
    return row;
  };
  const productOrThrow = (name: string) => {
    const row = store.products.get(name);
    if (!row) throw notFound('vision.googleapis.com/Product', name);
    return row;
  };

  return defineService(ProductSearchDefinition, {
    async CreateProductSet(req) {
      const parent = parseLocationName(req.parent, 'parent');
      if (!req.productSet) throw invalidArgument('product_set', 'is required');
      checkDisplayName(req.productSet.displayName, 'product_set.display_name');
      checkId(req.productSetId, 'product_set_id');
      const name = `${parent.name}/productSets/${req.productSetId || newId()}`;
      if (store.productSets.has(name)) throw alreadyExists('vision.googleapis.com/ProductSet', name);
      const row = { name, displayName: req.productSet.displayName, indexTime: 0, order: store.nextOrder() };
      await store.commit({ t: 'ps.create', row });
      return setMessage(row);
    },

    async ListProductSets(req) {
      const parent = parseLocationName(req.parent, 'parent');
      pageSizeOf(req.pageSize);
      const prefix = `${parent.name}/productSets/`;
      const rows = [...store.productSets.values()].filter((r) => r.name.startsWith(prefix));
      const page = paginate(rows, 'ListProductSets', parent.name, req.pageSize, req.pageToken);
      return { productSets: page.items.map(setMessage), nextPageToken: page.nextPageToken };
    },

    async GetProductSet(req) {
      parseProductSetName(req.name, 'name');
      return setMessage(productSetOrThrow(req.name));
    },

    async UpdateProductSet(req) {
      if (!req.productSet) throw invalidArgument('product_set', 'is required');
      parseProductSetName(req.productSet.name, 'product_set.name');
      const paths = maskPaths(req.updateMask);
      for (const p of paths) {
        if (p !== 'display_name') throw invalidArgument('update_mask', `${JSON.stringify(p)} cannot be updated (valid path: display_name)`);
      }
      productSetOrThrow(req.productSet.name);
      checkDisplayName(req.productSet.displayName, 'product_set.display_name');
      await store.commit({ t: 'ps.update', name: req.productSet.name, displayName: req.productSet.displayName, time: Date.now() });
      return setMessage(productSetOrThrow(req.productSet.name));
    },

    async DeleteProductSet(req) {
      parseProductSetName(req.name, 'name');
      productSetOrThrow(req.name);
      await store.commit({ t: 'ps.delete', name: req.name });
      return {};
    },

    async CreateProduct(req) {
      const parent = parseLocationName(req.parent, 'parent');
      if (!req.product) throw invalidArgument('product', 'is required');
      const p = req.product;
      checkDisplayName(p.displayName, 'product.display_name');
      checkDescription(p.description, 'product.description');
      checkCategory(p.productCategory, 'product.product_category');
      checkLabels(p.productLabels, 'product.product_labels');
      checkId(req.productId, 'product_id');
      const name = `${parent.name}/products/${req.productId || newId()}`;
      if (store.products.has(name)) throw alreadyExists('vision.googleapis.com/Product', name);
      const row = {
        name,
        displayName: p.displayName,
        description: p.description,
        productCategory: p.productCategory,
        productLabels: p.productLabels.map((l) => ({ key: l.key, value: l.value })),
        order: store.nextOrder(),
      };
      await store.commit({ t: 'p.create', row });
      return productMessage(row);
    },

    async ListProducts(req) {
      const parent = parseLocationName(req.parent, 'parent');
      pageSizeOf(req.pageSize);
      const prefix = `${parent.name}/products/`;
      const rows = [...store.products.values()].filter((r) => r.name.startsWith(prefix));
      const page = paginate(rows, 'ListProducts', parent.name, req.pageSize, req.pageToken);
      return { products: page.items.map(productMessage), nextPageToken: page.nextPageToken };
    },

    async GetProduct(req) {
      parseProductName(req.name, 'name');
      return productMessage(productOrThrow(req.name));
    },

    async UpdateProduct(req) {
      if (!req.product) throw invalidArgument('product', 'is required');
      const p = req.product;
      parseProductName(p.name, 'product.name');
      const valid = ['display_name', 'description', 'product_labels'];
      let paths = maskPaths(req.updateMask);
      for (const path of paths) {
        if (path === 'product_category') throw invalidArgument('update_mask', 'product_category is immutable and cannot be updated');
        if (!valid.includes(path))
          throw invalidArgument('update_mask', `${JSON.stringify(path)} cannot be updated (valid paths: ${valid.join(', ')})`);
      }
      if (paths.length === 0) paths = valid;
      productOrThrow(p.name);
      if (paths.includes('display_name')) checkDisplayName(p.displayName, 'product.display_name');
      if (paths.includes('description')) checkDescription(p.description, 'product.description');
      if (paths.includes('product_labels')) checkLabels(p.productLabels, 'product.product_labels');
      await store.commit({
        t: 'p.update',
        name: p.name,
        time: Date.now(),
        ...(paths.includes('display_name') ? { displayName: p.displayName } : {}),
        ...(paths.includes('description') ? { description: p.description } : {}),
        ...(paths.includes('product_labels') ? { productLabels: p.productLabels.map((l) => ({ key: l.key, value: l.value })) } : {}),
      });
      return productMessage(productOrThrow(p.name));
    },

    async DeleteProduct(req) {
      parseProductName(req.name, 'name');
      productOrThrow(req.name);
      await store.commit({ t: 'p.delete', name: req.name, time: Date.now() });
      return {};
    },

    async CreateReferenceImage(req) {
      const product = parseProductName(req.parent, 'parent');
      if (!req.referenceImage) throw invalidArgument('reference_image', 'is required');
      const ri = req.referenceImage;
      if (!ri.uri) throw invalidArgument('reference_image.uri', 'is required (a gs://BUCKET/OBJECT URI)');
      if ([...ri.uri].length > MAX_URI_CHARS)
        throw invalidArgument('reference_image.uri', `must be at most ${MAX_URI_CHARS} characters long`);
      const polys = normalizeBoundingPolys(ri.boundingPolys, 'reference_image.bounding_polys');
      checkId(req.referenceImageId, 'reference_image_id');
      if (!store.products.has(product.name)) throw invalidArgument('parent', `product ${product.name} does not exist`);
      const name = `${product.name}/referenceImages/${req.referenceImageId || newId()}`;
      if (store.images.has(name)) throw alreadyExists('vision.googleapis.com/ReferenceImage', name);
      const bytes = await readGsUri(objects, ri.uri, 'reference_image.uri', MAX_IMAGE_BYTES);
      const signature = await signatureOf(engine, bytes, polys, 'reference_image', (i) => `reference_image.bounding_polys[${i}]`);
      // The reads above awaited: check again what they may have raced with.
      if (!store.products.has(product.name)) throw invalidArgument('parent', `product ${product.name} does not exist`);
      if (store.images.has(name)) throw alreadyExists('vision.googleapis.com/ReferenceImage', name);
      const row = { name, uri: ri.uri, boundingPolys: polys, order: store.nextOrder(), ...(signature === undefined ? {} : { signature }) };
      await store.commit({ t: 'ri.create', row, time: Date.now() });
      return referenceImageMessage(row);
    },

    async DeleteReferenceImage(req) {
      parseReferenceImageName(req.name, 'name');
      if (!store.images.has(req.name)) throw notFound('vision.googleapis.com/ReferenceImage', req.name);
      await store.commit({ t: 'ri.delete', name: req.name, time: Date.now() });
      return {};
    },

    async ListReferenceImages(req) {
      parseProductName(req.parent, 'parent');
      const size = pageSizeOf(req.pageSize);
      productOrThrow(req.parent);
      const rows = [...(store.imagesOf.get(req.parent) ?? [])].map((n) => store.images.get(n)!).filter(Boolean);
      const page = paginate(rows, 'ListReferenceImages', req.parent, req.pageSize, req.pageToken);
      return { referenceImages: page.items.map(referenceImageMessage), pageSize: size, nextPageToken: page.nextPageToken };
    },

    async GetReferenceImage(req) {
      parseReferenceImageName(req.name, 'name');
      const row = store.images.get(req.name);
      if (!row) throw notFound('vision.googleapis.com/ReferenceImage', req.name);
      return referenceImageMessage(row);
    },

    async AddProductToProductSet(req) {
      const set = parseProductSetName(req.name, 'name');
      const product = parseProductName(req.product, 'product');
      if (set.parent !== product.parent) {
        throw invalidArgument('product', `must be in the same project and location as the product set (${set.parent})`);
      }
      productSetOrThrow(req.name);
      productOrThrow(req.product);
      const sets = store.setsOf.get(req.product);
      if (sets?.has(req.name)) return {};
      if ((sets?.size ?? 0) >= MAX_SETS_PER_PRODUCT) {
        throw failedPrecondition(
          req.product,
          `product ${req.product} is already in ${MAX_SETS_PER_PRODUCT} product sets, the most one product can be in`,
        );
      }
      await store.commit({ t: 'm.add', set: req.name, product: req.product, time: Date.now() });
      return {};
    },

    async RemoveProductFromProductSet(req) {
      parseProductSetName(req.name, 'name');
      parseProductName(req.product, 'product');
      productSetOrThrow(req.name);
      productOrThrow(req.product);
      if (!store.members.get(req.name)?.has(req.product)) return {};
      await store.commit({ t: 'm.remove', set: req.name, product: req.product, time: Date.now() });
      return {};
    },

    async ListProductsInProductSet(req) {
      parseProductSetName(req.name, 'name');
      pageSizeOf(req.pageSize);
      const rows = [...(store.members.get(req.name) ?? [])].map((n) => store.products.get(n)!).filter(Boolean);
      const page = paginate(rows, 'ListProductsInProductSet', req.name, req.pageSize, req.pageToken);
      return { products: page.items.map(productMessage), nextPageToken: page.nextPageToken };
    },

    async ImportProductSets(req) {
      const parent = parseLocationName(req.parent, 'parent');
      if (!req.inputConfig) throw invalidArgument('input_config', 'is required');
      if (!req.inputConfig.gcsSource) throw invalidArgument('input_config.gcs_source', 'is required');
      const field = 'input_config.gcs_source.csv_file_uri';
      const uri = req.inputConfig.gcsSource.csvFileUri;
      if (!uri) throw invalidArgument(field, 'is required (a gs://BUCKET/OBJECT URI of the CSV file)');
      const bytes = await readGsUri(objects, uri, field, MAX_CSV_BYTES);
      const csv = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
      // Google's CSV format page: "CSV files are limited to a maximum of 20,000 lines".
      const lineCount = csvLines(csv).length;
      if (lineCount > MAX_CSV_LINES) {
        throw invalidArgument(
          field,
          `${uri} has ${lineCount} lines; a CSV file may have at most ${MAX_CSV_LINES} (split it into several files)`,
        );
      }
      const op = await ops.start('importProductSets', parent.name, ImportProductSetsRequest.encode(req).finish(), {
        type: 'import',
        csv,
        statuses: [],
        images: [],
      });
      return ops.toMessage(op);
    },

    async PurgeProducts(req) {
      const parent = parseLocationName(req.parent, 'parent');
      let targets: string[];
      if (req.productSetPurgeConfig) {
        const id = req.productSetPurgeConfig.productSetId;
        if (!id) throw invalidArgument('product_set_purge_config.product_set_id', 'is required');
        checkId(id, 'product_set_purge_config.product_set_id');
        const setName = `${parent.name}/productSets/${id}`;
        productSetOrThrow(setName);
        targets = [...(store.members.get(setName) ?? [])];
      } else if (req.deleteOrphanProducts === true) {
        const prefix = `${parent.name}/products/`;
        targets = [...store.products.values()].filter((p) => p.name.startsWith(prefix) && !store.setsOf.has(p.name)).map((p) => p.name);
      } else {
        throw invalidArgument('target', 'set product_set_purge_config or delete_orphan_products=true to choose the products to purge');
      }
      if (!req.force) {
        throw failedPrecondition(
          'force',
          `PurgeProducts would delete ${targets.length} product(s) and their reference images; set force=true to actually purge`,
        );
      }
      targets.sort((a, b) => store.products.get(a)!.order - store.products.get(b)!.order);
      const op = await ops.start('purgeProducts', parent.name, PurgeProductsRequest.encode(req).finish(), {
        type: 'purge',
        targets,
        next: 0,
      });
      return ops.toMessage(op);
    },
  });
}
