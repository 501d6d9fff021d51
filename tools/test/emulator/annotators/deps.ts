// AnnotatorDeps for the tests: gs:// objects from a map, a catalog, optional fixtures.

import { Code, VisionError } from 'vision-kit';
import {
  type AnnotateImageRequest,
  AnnotateImageRequest as AnnotateImageRequestFns,
  type Feature,
} from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import type { AnnotatorDeps, FixtureStore, ProductCatalog, SourceReader } from '../../../src/emulator/annotators/index.js';
import { MemoryCatalog } from './memory-catalog.js';

/** A SourceReader over a map of gs:// URIs; a missing object is NOT_FOUND, as the emulator's storage answers. */
export function mapReader(objects: ReadonlyMap<string, Uint8Array>): SourceReader {
  return async (uri) => {
    const bytes = objects.get(uri);
    if (!bytes) throw new VisionError(Code.NOT_FOUND, `${uri}: no such object`);
    return bytes;
  };
}

/** Deps with an empty catalog unless given. */
export function makeDeps(
  options: { objects?: Map<string, Uint8Array>; catalog?: ProductCatalog; fixtures?: FixtureStore; signal?: AbortSignal } = {},
): AnnotatorDeps {
  return {
    readSource: mapReader(options.objects ?? new Map()),
    catalog: options.catalog ?? new MemoryCatalog(),
    ...(options.fixtures ? { fixtures: options.fixtures } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
}

/** A full AnnotateImageRequest from a deep partial (as the emulator normalises requests). */
export function imageRequest(partial: Parameters<typeof AnnotateImageRequestFns.fromPartial>[0]): AnnotateImageRequest {
  return AnnotateImageRequestFns.fromPartial(partial);
}

/** A feature entry. */
export function feature(type: number, maxResults = 0): Feature {
  return { type, maxResults, model: '' };
}
