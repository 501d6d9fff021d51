/**
 * Documented limits of the Vision API that the annotators enforce
 * (docs/emulator.md, "Limits"). The emulator imports the same constants
 * so that both transports refuse the same inputs.
 */

/** Largest image (or file) in bytes that is annotated: 20 MB (20 × 2^20 bytes). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** Most images of one async request (AsyncBatchAnnotateImages; also one `vision-kit annotate` run). */
export const MAX_ASYNC_IMAGES = 2000;

/** At most this many pages (PDF, TIFF) or frames (GIF) per file request. */
export const MAX_FILE_PAGES = 5;

/** Aspect ratios after this many in `cropHintsParams.aspectRatios` are ignored. */
export const MAX_CROP_HINT_RATIOS = 16;

/** A reference image may have at most this many bounding polygons. */
export const MAX_REFERENCE_POLYS = 10;

/**
 * Decoded images larger than this many pixels are refused before their
 * pixels are read (a decompression-bomb guard; 100 megapixels).
 */
export const MAX_IMAGE_PIXELS = 100_000_000;

/** Longest side, in pixels, of the downscaled raster every measure works on. */
export const ANALYSIS_SIDE = 256;

/** Longest side, in pixels, a PDF page is rendered at (before the analysis downscale). */
export const PDF_RENDER_MAX_SIDE = 2000;

/** Resolution a PDF page is rendered at, unless that exceeds {@link PDF_RENDER_MAX_SIDE}. */
export const PDF_RENDER_DPI = 150;

/**
 * Default time, in ms, that opening a PDF or rendering one of its pages may
 * take before it is stopped (the page, or the file, then gets
 * DEADLINE_EXCEEDED). The emulator's `--render-budget-ms` changes it.
 */
export const DEFAULT_RENDER_BUDGET_MS = 10_000;

/** PDF files rendered at once, each in its own worker thread. */
export const PDF_RENDER_WORKERS = 2;
