/**
 * The inputs of `vision-kit annotate`: local image files, folders of images
 * (searched recursively, hidden entries and node_modules skipped) and
 * `gs://` objects or folders. Local files are read and checked here, before
 * anything is started, so a missing or unreadable file is one clear line.
 */
import type { Dirent, Stats } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CliError } from 'vision-kit/cli';
import { MAX_ASYNC_IMAGES, MAX_IMAGE_BYTES } from '../emulator/annotators/limits.js';
import { gsUriProblem } from '../emulator/storage/gcs-names.js';
import { errnoWords } from '../fs-errors.js';
import { IMAGE_EXTENSIONS, IMAGE_FORMAT_LIST, sniffImageType } from './image-type.js';

/** A local image, read and checked. */
export interface LocalImage {
  readonly kind: 'local';
  /** How the user sees it: the path relative to the working directory when inside it, else absolute. */
  readonly label: string;
  /** Absolute path. */
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

/** A `gs://` input: one object, or a folder (ending in "/") to list. */
export interface RemoteInput {
  readonly kind: 'gs';
  readonly label: string;
  readonly uri: string;
  readonly folder: boolean;
}

/** One input, in command-line order (folders expanded in name order). */
export type AnnotateInput = LocalImage | RemoteInput;

const SKIP_DIRS = new Set(['node_modules']);

function labelOf(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

async function readImage(path: string, label: string): Promise<LocalImage> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.size > MAX_IMAGE_BYTES) {
      throw new CliError(`${label}: ${(info.size / 1024 / 1024).toFixed(1)} MB; Vision takes images up to 20 MB`);
    }
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${label}: cannot read it (${errnoWords(err)})`, 2, { cause: err });
  }
  if (bytes.length === 0) throw new CliError(`${label}: the file is empty, not an image`);
  const type = sniffImageType(bytes);
  if (type === undefined) throw new CliError(`${label}: not an image Vision reads (${IMAGE_FORMAT_LIST})`);
  if (!type.image)
    throw new CliError(
      `${label}: a ${type.name}; annotate takes images (${IMAGE_FORMAT_LIST}); for PDFs use "vision-kit call AsyncBatchAnnotateFiles"`,
    );
  return { kind: 'local', label, path, bytes, contentType: type.contentType };
}

async function imagesInFolder(dir: string, cwd: string, out: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new CliError(`${labelOf(dir, cwd)}/: cannot read the folder (${errnoWords(err)})`, 2, { cause: err });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) await imagesInFolder(path, cwd, out);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && IMAGE_EXTENSIONS.includes(extname(entry.name).toLowerCase())) {
      out.push(path);
    }
  }
}

/**
 * Expands and checks the command line's inputs. Throws a CliError (exit 2)
 * for a missing or unreadable path, a file that is not an image, a folder
 * without images, no inputs at all, or more than {@link MAX_ASYNC_IMAGES} local images.
 */
export async function collectInputs(args: readonly string[], cwd = process.cwd()): Promise<AnnotateInput[]> {
  if (args.length === 0)
    throw new CliError('no images given: name image files, folders or gs:// URIs (e.g. "vision-kit annotate samples/")');
  const out: AnnotateInput[] = [];
  const seen = new Set<string>();
  for (const arg of args) {
    if (arg.startsWith('gs://')) {
      const folder = arg.endsWith('/') || /^gs:\/\/[^/]+$/.test(arg);
      const problem = gsUriProblem(arg, folder);
      if (problem !== undefined) throw new CliError(`${arg}: ${problem}`);
      out.push({ kind: 'gs', label: arg, uri: arg, folder });
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) throw new CliError(`${arg}: only local paths and gs:// URIs are taken`);
    const path = resolve(cwd, arg);
    let info: Stats;
    try {
      info = await stat(path);
    } catch (err) {
      throw new CliError(`${arg}: ${errnoWords(err)}`, 2, { cause: err });
    }
    if (info.isDirectory()) {
      const found: string[] = [];
      await imagesInFolder(path, cwd, found);
      if (found.length === 0) throw new CliError(`${arg}: no images in this folder (files ending in ${IMAGE_EXTENSIONS.join(' ')})`);
      for (const file of found) {
        if (seen.has(file)) continue;
        seen.add(file);
        out.push(await readImage(file, labelOf(file, cwd)));
      }
    } else {
      if (seen.has(path)) continue;
      seen.add(path);
      out.push(await readImage(path, labelOf(path, cwd) || basename(path)));
    }
    if (out.length > MAX_ASYNC_IMAGES)
      throw new CliError(
        `more than ${MAX_ASYNC_IMAGES} images; one run annotates at most ${MAX_ASYNC_IMAGES} (Vision's limit per request)`,
      );
  }
  return out;
}

/**
 * Object names for uploading local images under `prefix`: each image's
 * label (its path relative to the working directory, or its base name when
 * outside it), made safe for Cloud Storage, with "-2", "-3", … against clashes.
 */
export function uploadNames(images: readonly LocalImage[], prefix: string): string[] {
  const used = new Set<string>();
  return images.map((image) => {
    const base = (isAbsolute(image.label) ? basename(image.path) : image.label)
      .split('/')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what an object name may not hold.
      .map((seg) => seg.replace(/[\\%\u0000-\u001f]/g, '_').replace(/^\.{1,2}$/, '_'))
      .filter((seg) => seg !== '')
      .join('/');
    let name = `${prefix}${base}`;
    for (let n = 2; used.has(name); n++) {
      const ext = extname(base);
      name = `${prefix}${base.slice(0, base.length - ext.length)}-${n}${ext}`;
    }
    used.add(name);
    return name;
  });
}
