/**
 * What `vision-kit annotate` prints on stdout: a summary per image (top
 * colors, crop hints, product matches, other annotations, or the error) and
 * every output file as its gs:// URI and local path; or, with `--json`, one
 * JSON document with the same facts and the full responses.
 */
import { isAbsolute, relative } from 'node:path';
import { codeName } from 'vision-kit';
import { type JsonValue, messageToJson } from 'vision-kit/codec';
import type { ImageResult, JobResult } from '../workflow/annotate-job.js';
import type { ImageSummary } from '../workflow/image-summary.js';

/** One image as the report shows it. */
export interface ReportImage {
  /** The input as given (a path relative to the working directory, or a gs:// URI). */
  readonly input: string;
  readonly result: ImageResult;
}

/** One output file as the report shows it. */
export interface ReportFile {
  readonly uri: string;
  /** Absolute local path. */
  readonly path: string;
  readonly first: number;
  readonly last: number;
  readonly size: number;
}

/** Everything the report needs. */
export interface AnnotateReport {
  readonly job: JobResult;
  readonly images: readonly ReportImage[];
  readonly files: readonly ReportFile[];
  readonly features: readonly string[];
  readonly target: string;
  readonly transport: string;
}

/** How many colors the text summary lists per image. */
const TOP_COLORS = 3;

/**
 * A message as one line: line breaks become "; ", repeated lines are kept
 * once, and anything past 400 characters is cut with "…".
 */
export function oneLine(message: string): string {
  const parts = message.split(/\s*[\r\n]+\s*/).filter((p) => p !== '');
  const text = [...new Set(parts)].join('; ');
  return text.length > 400 ? `${text.slice(0, 399)}…` : text;
}

const pct = (f: number): string => `${(f * 100).toFixed(1)} %`;

/** A path as a person in `cwd` would type it. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function swatch(color: { red: number; green: number; blue: number }, ansi: boolean): string {
  if (!ansi) return '';
  const c = [color.red, color.green, color.blue].map((v) => Math.round(Math.min(255, Math.max(0, v))));
  return `\u001b[48;2;${c[0]};${c[1]};${c[2]}m  \u001b[0m `;
}

function imageLines(summary: ImageSummary, ansi: boolean): string[] {
  const lines: string[] = [];
  if (summary.error) {
    lines.push(`  error      ${codeName(summary.error.code)}: ${oneLine(summary.error.message)}`);
    return lines;
  }
  for (const c of summary.colors.slice(0, TOP_COLORS)) {
    lines.push(
      `  color      ${swatch(c, ansi)}${c.hex}  ${c.name.padEnd(12)} ${pct(c.pixelFraction).padStart(7)} of pixels  (score ${c.score.toFixed(2)})`,
    );
  }
  if (summary.colors.length > TOP_COLORS) lines.push(`             … ${summary.colors.length - TOP_COLORS} more colors`);
  for (const h of summary.cropHints) {
    const w = h.right - h.left + 1;
    const ht = h.bottom - h.top + 1;
    lines.push(
      `  crop hint  ${w}×${ht} at (${h.left}, ${h.top})–(${h.right}, ${h.bottom}), confidence ${h.confidence.toFixed(2)}, importance ${h.importanceFraction.toFixed(2)}`,
    );
  }
  for (const p of summary.products) {
    lines.push(
      `  product    ${p.displayName || p.product}  score ${p.score.toFixed(2)}  (${p.product}${p.category ? `, ${p.category}` : ''})`,
    );
  }
  for (const [field, n] of Object.entries(summary.others)) lines.push(`  ${field}: ${n}`);
  if (lines.length === 0) lines.push('  (no annotations)');
  return lines;
}

/** The text report (ends with a newline). `ansi` adds color swatches. */
export function formatTextReport(report: AnnotateReport, options: { ansi?: boolean; cwd?: string } = {}): string {
  const ansi = options.ansi === true;
  const out: string[] = [];
  for (const image of report.images) {
    out.push(`${image.input}${image.input === image.result.uri ? '' : `  (${image.result.uri})`}`);
    out.push(...imageLines(image.result.summary, ansi));
  }
  out.push('');
  out.push(`Output files (${report.files.length}, read back from ${report.job.outputUri}):`);
  for (const f of report.files) {
    out.push(`  ${f.uri}`);
    out.push(`    ${displayPath(f.path, options.cwd)}`);
  }
  return `${out.join('\n')}\n`;
}

/** The `--json` document. */
export function jsonReport(report: AnnotateReport): JsonValue {
  return {
    operation: report.job.operation,
    target: report.target,
    transport: report.transport,
    features: [...report.features],
    outputUri: report.job.outputUri,
    elapsedMs: Math.round(report.job.elapsedMs),
    images: report.images.map(({ input, result }) => ({
      input,
      uri: result.uri,
      outputFile: result.outputFile ?? null,
      error: result.summary.error
        ? { code: result.summary.error.code, status: codeName(result.summary.error.code), message: result.summary.error.message }
        : null,
      colors: result.summary.colors.map((c) => ({ ...c })),
      cropHints: result.summary.cropHints.map((h) => ({ ...h, vertices: h.vertices.map((v) => ({ ...v })) })),
      products: result.summary.products.map((p) => ({ ...p })),
      response: messageToJson('google.cloud.vision.v1p4beta1.AnnotateImageResponse', result.response),
    })),
    outputFiles: report.files.map((f) => ({ ...f })),
  };
}
