import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Code, VisionError } from 'vision-kit';
import { messageFromJsonText } from 'vision-kit/codec';
import type { AnnotateImageResponse } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import type { FixtureStore } from './contract.js';
import { createFixtureStore } from './fixture-store.js';

const FILE_NAME = /^([0-9a-fA-F]{64}(?:-[1-9][0-9]*)?)\.json$/;

/**
 * Loads the fixtures of `--fixtures DIR`: every `*.json` file directly in
 * `dir` must be named `<sha256 hex of the image bytes>.json` (or
 * `<sha256 of a file>-<page>.json` for one page of a PDF/TIFF/GIF) and hold
 * an AnnotateImageResponse in proto3 JSON; other files and subfolders are
 * ignored. Throws VisionError NOT_FOUND when `dir` cannot be read and
 * INVALID_ARGUMENT naming the file (and the field) for a misnamed file or
 * bad JSON, so a mistake shows at start-up rather than as missing results.
 */
export async function loadFixtures(dir: string): Promise<FixtureStore> {
  let names: string[];
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    names = entries
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.json'))
      .map((e) => e.name)
      .sort();
  } catch (err) {
    throw new VisionError(
      Code.NOT_FOUND,
      `fixtures directory ${dir} cannot be read (${err instanceof Error ? err.message : String(err)})`,
      { cause: err },
    );
  }
  const entries: Array<[string, AnnotateImageResponse]> = [];
  for (const name of names) {
    const path = join(dir, name);
    const key = FILE_NAME.exec(name)?.[1];
    if (!key) {
      throw new VisionError(
        Code.INVALID_ARGUMENT,
        `fixture ${path}: the name must be <sha256 hex of the image bytes>.json or <sha256>-<page>.json`,
      );
    }
    try {
      const text = await readFile(path, 'utf8');
      entries.push([key, messageFromJsonText<AnnotateImageResponse>('google.cloud.vision.v1p4beta1.AnnotateImageResponse', text)]);
    } catch (err) {
      const reason = err instanceof VisionError ? err.rawMessage : err instanceof Error ? err.message : String(err);
      throw new VisionError(Code.INVALID_ARGUMENT, `fixture ${path}: ${reason}`, { cause: err });
    }
  }
  return createFixtureStore(entries);
}
