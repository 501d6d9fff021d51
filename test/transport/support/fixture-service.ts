/**
 * Deterministic handlers for every method of the three services: each
 * answer is derived from the request (names, ids, masks, enums, bytes,
 * timestamps, Any, int64, oneofs), so a transport that drops or mangles
 * anything gives a different result. Floats are exact in float32 (gRPC
 * carries `float` fields as 32-bit).
 */

import { Code, VisionError } from 'vision-kit';
import { packAny } from 'vision-kit/codec';
import type { MemoryHandlers } from 'vision-kit/testing';

const PS = 'google.cloud.vision.v1p4beta1.ProductSearch';
const IA = 'google.cloud.vision.v1p4beta1.ImageAnnotator';
const OPS = 'google.longrunning.Operations';
const V = 'google.cloud.vision.v1p4beta1';

// biome-ignore lint/suspicious/noExplicitAny: a test fixture over every message shape.
type Msg = Record<string, any>;

const TIME = { seconds: '1700000000', nanos: 250_000_000 };

function product(name: string, extra: Msg = {}): Msg {
  return {
    name,
    displayName: `display ${name.split('/').pop()}`,
    productCategory: 'apparel-v2',
    productLabels: [
      { key: 'color', value: 'blue' },
      { key: 'style', value: 'ünïcode ✓' },
    ],
    ...extra,
  };
}

function operation(name: string, metadataType: string, metadata: Msg, done = false, response?: { type: string; value: Msg }): Msg {
  return {
    name,
    metadata: packAny(metadataType, metadata),
    done,
    ...(response === undefined ? {} : { response: packAny(response.type, response.value) }),
  };
}

/** The NOT_FOUND every transport must deliver identically (ErrorInfo detail). */
export function notFound(name: string): VisionError {
  return new VisionError(Code.NOT_FOUND, `Product not found: ${name}`, {
    details: [
      {
        type: 'google.rpc.ErrorInfo',
        value: { reason: 'PRODUCT_NOT_FOUND', domain: 'vision.googleapis.com', metadata: { product: name } },
      },
    ],
  });
}

/** Requests of every method with an HTTP rule (WaitOperation has none), ready to send. */
export const REQUESTS: { readonly [service: string]: { readonly [method: string]: Msg } } = {
  [PS]: {
    CreateProductSet: { parent: 'projects/p1/locations/us-west1', productSet: { displayName: 'Summer' }, productSetId: 'summer' },
    ListProductSets: { parent: 'projects/p1/locations/us-west1', pageSize: 2, pageToken: 'tok' },
    GetProductSet: { name: 'projects/p1/locations/us-west1/productSets/summer' },
    UpdateProductSet: {
      productSet: { name: 'projects/p1/locations/us-west1/productSets/summer', displayName: 'Summer 2' },
      updateMask: ['display_name'],
    },
    DeleteProductSet: { name: 'projects/p1/locations/us-west1/productSets/summer' },
    CreateProduct: {
      parent: 'projects/p1/locations/us-west1',
      product: { displayName: 'Shoe', productCategory: 'apparel-v2', productLabels: [{ key: 'color', value: 'red' }] },
      productId: 'shoe-1',
    },
    ListProducts: { parent: 'projects/p1/locations/us-west1', pageSize: 3 },
    GetProduct: { name: 'projects/p1/locations/us-west1/products/shoe-1' },
    UpdateProduct: {
      product: { name: 'projects/p1/locations/us-west1/products/shoe-1', description: 'A shoe / with "quotes" & ?query' },
      updateMask: ['description', 'product_labels'],
    },
    DeleteProduct: { name: 'projects/p1/locations/us-west1/products/shoe-1' },
    CreateReferenceImage: {
      parent: 'projects/p1/locations/us-west1/products/shoe-1',
      referenceImage: {
        uri: 'gs://bucket/shoe.jpg',
        boundingPolys: [
          {
            vertices: [
              { x: 1, y: 2 },
              { x: 30, y: 2 },
            ],
            normalizedVertices: [{ x: 0.5, y: 0.25 }],
          },
        ],
      },
      referenceImageId: 'img-1',
    },
    DeleteReferenceImage: { name: 'projects/p1/locations/us-west1/products/shoe-1/referenceImages/img-1' },
    ListReferenceImages: { parent: 'projects/p1/locations/us-west1/products/shoe-1', pageSize: 1, pageToken: '' },
    GetReferenceImage: { name: 'projects/p1/locations/us-west1/products/shoe-1/referenceImages/img-1' },
    AddProductToProductSet: {
      name: 'projects/p1/locations/us-west1/productSets/summer',
      product: 'projects/p1/locations/us-west1/products/shoe-1',
    },
    RemoveProductFromProductSet: {
      name: 'projects/p1/locations/us-west1/productSets/summer',
      product: 'projects/p1/locations/us-west1/products/shoe-1',
    },
    ListProductsInProductSet: { name: 'projects/p1/locations/us-west1/productSets/summer', pageSize: 5 },
    ImportProductSets: {
      parent: 'projects/p1/locations/us-west1',
      inputConfig: { gcsSource: { csvFileUri: 'gs://bucket/import.csv' } },
    },
    PurgeProducts: { parent: 'projects/p1/locations/us-west1', deleteOrphanProducts: true, force: true },
  },
  [IA]: {
    BatchAnnotateImages: {
      requests: [
        {
          image: { content: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255]) },
          features: [{ type: 4, maxResults: 3 }, { type: 'SAFE_SEARCH_DETECTION' }],
        },
        { image: { source: { imageUri: 'https://example.invalid/a.png' } }, features: [{ type: 1 }] },
      ],
    },
    BatchAnnotateFiles: {
      requests: [
        {
          inputConfig: { gcsSource: { uri: 'gs://bucket/doc.pdf' }, mimeType: 'application/pdf' },
          features: [{ type: 11 }],
          pages: [1, 2, -1],
        },
      ],
    },
    AsyncBatchAnnotateImages: {
      requests: [{ image: { source: { gcsImageUri: 'gs://bucket/a.jpg' } }, features: [{ type: 4 }] }],
      outputConfig: { gcsDestination: { uri: 'gs://out/run-1/' }, batchSize: 2 },
    },
    AsyncBatchAnnotateFiles: {
      requests: [
        {
          inputConfig: { gcsSource: { uri: 'gs://bucket/doc.tiff' }, mimeType: 'image/tiff' },
          features: [{ type: 11 }],
          outputConfig: { gcsDestination: { uri: 'gs://out/doc-' } },
        },
      ],
    },
  },
  [OPS]: {
    ListOperations: { name: 'operations', filter: 'done=true', pageSize: 2 },
    GetOperation: { name: 'operations/abc-123' },
    DeleteOperation: { name: 'projects/p1/locations/us-west1/operations/42' },
    CancelOperation: { name: 'operations/abc-123' },
  },
};

/** The handlers, deriving each answer from its request. */
export const FIXTURE_HANDLERS: MemoryHandlers = {
  [PS]: {
    CreateProductSet: (r: Msg) => ({
      ...r.productSet,
      name: `${r.parent}/productSets/${r.productSetId}`,
      indexTime: TIME,
      indexError: { code: 9, message: 'index pending', details: [] },
    }),
    ListProductSets: (r: Msg) => ({
      productSets: [
        { name: `${r.parent}/productSets/a`, displayName: `page ${r.pageToken}` },
        { name: `${r.parent}/productSets/b`, indexTime: { seconds: '-5', nanos: 1 } },
      ],
      nextPageToken: `${r.pageToken}+${r.pageSize}`,
    }),
    GetProductSet: (r: Msg) => ({ name: r.name, displayName: 'Summer', indexTime: TIME }),
    UpdateProductSet: (r: Msg) => ({ ...r.productSet, displayName: `${r.productSet.displayName} [${r.updateMask.join('|')}]` }),
    DeleteProductSet: () => ({}),
    CreateProduct: (r: Msg) => ({ ...r.product, name: `${r.parent}/products/${r.productId}` }),
    ListProducts: (r: Msg) => ({
      products: [product(`${r.parent}/products/a`), product(`${r.parent}/products/b`, { description: String(r.pageSize) })],
      nextPageToken: '',
    }),
    GetProduct: (r: Msg) => {
      if (r.name.endsWith('/missing')) throw notFound(r.name);
      return product(r.name);
    },
    UpdateProduct: (r: Msg) => product(r.product.name, { description: `${r.product.description} (${r.updateMask.join(',')})` }),
    DeleteProduct: () => ({}),
    CreateReferenceImage: (r: Msg) => ({ ...r.referenceImage, name: `${r.parent}/referenceImages/${r.referenceImageId}` }),
    DeleteReferenceImage: () => ({}),
    ListReferenceImages: (r: Msg) => ({
      referenceImages: [{ name: `${r.parent}/referenceImages/img-1`, uri: 'gs://bucket/shoe.jpg', boundingPolys: [] }],
      pageSize: r.pageSize,
      nextPageToken: 'next',
    }),
    GetReferenceImage: (r: Msg) => ({
      name: r.name,
      uri: 'gs://bucket/shoe.jpg',
      boundingPolys: [{ vertices: [{ x: -3, y: 2147483647 }], normalizedVertices: [] }],
    }),
    AddProductToProductSet: () => ({}),
    RemoveProductFromProductSet: () => ({}),
    ListProductsInProductSet: (r: Msg) => ({ products: [product(`${r.name}/products/x`)], nextPageToken: 'n2' }),
    ImportProductSets: (r: Msg) =>
      operation(`${r.parent}/operations/import-1`, `${V}.BatchOperationMetadata`, { state: 1, submitTime: TIME }),
    PurgeProducts: (r: Msg) =>
      operation(`${r.parent}/operations/purge-1`, `${V}.BatchOperationMetadata`, { state: 2, submitTime: TIME, endTime: TIME }),
  },
  [IA]: {
    BatchAnnotateImages: (r: Msg) => ({
      responses: r.requests.map((req: Msg, i: number) => ({
        labelAnnotations: req.features.map((f: Msg, j: number) => ({
          mid: `/m/${f.type}`,
          description: `feature ${f.type} max ${f.maxResults} bytes ${req.image.content.length}`,
          score: 0.5 + j / 4,
          topicality: 0.125,
        })),
        safeSearchAnnotation: { adult: 1, spoof: 5, medical: 2, violence: 3, racy: 4 },
        context: { uri: req.image.source?.imageUri ?? '', pageNumber: i },
      })),
    }),
    BatchAnnotateFiles: (r: Msg) => ({
      responses: r.requests.map((req: Msg) => ({
        inputConfig: req.inputConfig,
        responses: req.pages.map((p: number) => ({ context: { uri: req.inputConfig.gcsSource.uri, pageNumber: p } })),
        totalPages: 7,
      })),
    }),
    AsyncBatchAnnotateImages: () =>
      operation('operations/img-1', `${V}.OperationMetadata`, { state: 2, createTime: TIME, updateTime: TIME }),
    AsyncBatchAnnotateFiles: (r: Msg) =>
      operation('operations/files-1', `${V}.OperationMetadata`, { state: 3, createTime: TIME }, true, {
        type: `${V}.AsyncBatchAnnotateFilesResponse`,
        value: { responses: [{ outputConfig: r.requests[0].outputConfig }] },
      }),
  },
  [OPS]: {
    ListOperations: (r: Msg) => ({
      operations: [
        operation('operations/1', `${V}.OperationMetadata`, { state: 3 }, true, {
          type: `${V}.AsyncBatchAnnotateImagesResponse`,
          value: { outputConfig: { gcsDestination: { uri: 'gs://o/' }, batchSize: 20 } },
        }),
        { name: 'operations/2', done: true, error: { code: 1, message: 'cancelled by user', details: [] } },
      ],
      nextPageToken: r.filter,
    }),
    GetOperation: (r: Msg) => operation(r.name, `${V}.OperationMetadata`, { state: 2, createTime: TIME }),
    DeleteOperation: () => ({}),
    CancelOperation: () => ({}),
    WaitOperation: (r: Msg) => ({ name: r.name, done: true, response: packAny('google.protobuf.Empty', {}) }),
  },
};
