import type { ColorInfo } from 'vision-kit/gen/google/cloud/vision/v1p4beta1/image_annotator.js';
import { type Lab, labDistance2, srgbToLab } from './color-space.js';
import type { Raster } from './raster.js';

/** How many colors IMAGE_PROPERTIES reports when `maxResults` is 0 (as Google does). */
export const DEFAULT_DOMINANT_COLORS = 10;

/** Clusters stop being added once every color is within this ΔE of a center. */
const SPLIT_DELTA_E = 6;
/** Cluster centers closer than this ΔE after convergence are merged. */
const MERGE_DELTA_E = 10;
const MAX_ITERATIONS = 25;
/** Clusters the search starts from, before merging; more than are usually reported. */
const MAX_CLUSTERS = 16;

/** One bin of the 15-bit color histogram the clustering runs on. */
interface Bin {
  count: number;
  weight: number;
  r: number;
  g: number;
  b: number;
  lab: Lab;
}

interface Cluster {
  count: number;
  weight: number;
  r: number;
  g: number;
  b: number;
  lab: Lab;
}

/**
 * The weight of a pixel for a color's `score`: 1 at the centre of the
 * picture, falling off (Gaussian, σ = 0.35 of a side) towards the edges,
 * since what is in the middle of a picture matters more to it.
 */
function centreWeight(x: number, y: number, w: number, h: number): number {
  const dx = (x + 0.5) / w - 0.5;
  const dy = (y + 0.5) / h - 0.5;
  return Math.exp(-(dx * dx + dy * dy) / (2 * 0.35 * 0.35));
}

function histogram(raster: Raster): Bin[] {
  const bins = new Map<number, Bin>();
  const { data, width, height } = raster;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const r = data[i] as number;
      const g = data[i + 1] as number;
      const b = data[i + 2] as number;
      const key = ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);
      const w = centreWeight(x, y, width, height);
      const bin = bins.get(key);
      if (bin) {
        bin.count++;
        bin.weight += w;
        bin.r += r;
        bin.g += g;
        bin.b += b;
      } else {
        bins.set(key, { count: 1, weight: w, r, g, b, lab: { l: 0, a: 0, b: 0 } });
      }
    }
  }
  const list = [...bins.values()];
  for (const bin of list) bin.lab = srgbToLab(bin.r / bin.count, bin.g / bin.count, bin.b / bin.count);
  return list;
}

/** Deterministic k-means++: each next center is the bin with the largest count × distance². */
function seedCenters(bins: readonly Bin[]): Lab[] {
  let first = bins[0] as Bin;
  for (const bin of bins) if (bin.count > first.count) first = bin;
  const centers: Lab[] = [first.lab];
  const nearest = bins.map((bin) => labDistance2(bin.lab, first.lab));
  while (centers.length < MAX_CLUSTERS) {
    let best = -1;
    let bestScore = 0;
    let farthest = 0;
    for (let i = 0; i < bins.length; i++) {
      const d = nearest[i] as number;
      if (d > farthest) farthest = d;
      const score = d * (bins[i] as Bin).count;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0 || farthest < SPLIT_DELTA_E * SPLIT_DELTA_E) break;
    const center = (bins[best] as Bin).lab;
    centers.push(center);
    for (let i = 0; i < bins.length; i++) nearest[i] = Math.min(nearest[i] as number, labDistance2((bins[i] as Bin).lab, center));
  }
  return centers;
}

function nearestCenter(lab: Lab, centers: readonly Lab[]): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < centers.length; c++) {
    const d = labDistance2(lab, centers[c] as Lab);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function gather(bins: readonly Bin[], assignment: Int32Array, k: number): Cluster[] {
  const clusters: Cluster[] = Array.from({ length: k }, () => ({ count: 0, weight: 0, r: 0, g: 0, b: 0, lab: { l: 0, a: 0, b: 0 } }));
  for (let i = 0; i < bins.length; i++) {
    const bin = bins[i] as Bin;
    const c = clusters[assignment[i] as number] as Cluster;
    c.count += bin.count;
    c.weight += bin.weight;
    c.r += bin.r;
    c.g += bin.g;
    c.b += bin.b;
  }
  const live = clusters.filter((c) => c.count > 0);
  for (const c of live) c.lab = srgbToLab(c.r / c.count, c.g / c.count, c.b / c.count);
  return live;
}

function lloyd(bins: readonly Bin[], seeds: Lab[]): Cluster[] {
  let centers = seeds;
  const assignment = new Int32Array(bins.length).fill(-1);
  let clusters: Cluster[] = [];
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    let changed = false;
    for (let i = 0; i < bins.length; i++) {
      const c = nearestCenter((bins[i] as Bin).lab, centers);
      if (c !== assignment[i]) {
        assignment[i] = c;
        changed = true;
      }
    }
    if (!changed && clusters.length > 0) break;
    clusters = gather(bins, assignment, centers.length);
    if (clusters.length !== centers.length) {
      // A center lost all its bins: renumber and reassign from scratch.
      assignment.fill(-1);
    }
    centers = clusters.map((c) => c.lab);
  }
  return clusters;
}

/** Merges the closest pair of clusters while any two are within MERGE_DELTA_E. */
function mergeClose(clusters: Cluster[]): Cluster[] {
  const list = [...clusters];
  for (;;) {
    let pair: [number, number] | undefined;
    let bestD = MERGE_DELTA_E * MERGE_DELTA_E;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const d = labDistance2((list[i] as Cluster).lab, (list[j] as Cluster).lab);
        if (d < bestD) {
          bestD = d;
          pair = [i, j];
        }
      }
    }
    if (!pair) return list;
    const a = list[pair[0]] as Cluster;
    const b = list[pair[1]] as Cluster;
    const merged: Cluster = {
      count: a.count + b.count,
      weight: a.weight + b.weight,
      r: a.r + b.r,
      g: a.g + b.g,
      b: a.b + b.b,
      lab: { l: 0, a: 0, b: 0 },
    };
    merged.lab = srgbToLab(merged.r / merged.count, merged.g / merged.count, merged.b / merged.count);
    list.splice(pair[1], 1);
    list[pair[0]] = merged;
  }
}

/**
 * Dominant colors of a picture: k-means in CIE L*a*b* over a 15-bit color
 * histogram of the downscaled raster, seeded deterministically (so the same
 * image always gives the same answer), clusters closer than ΔE 10 merged.
 * Each color is the mean sRGB of its cluster in 0–255 per channel (as the
 * real service reports it, although google.type.Color documents [0, 1]),
 * `pixelFraction` its share of the pixels and `score` its share of the
 * centre-weighted pixels; best score first, at most `maxResults`.
 */
export function dominantColors(raster: Raster, maxResults: number): ColorInfo[] {
  const bins = histogram(raster);
  if (bins.length === 0) return [];
  const clusters = mergeClose(lloyd(bins, seedCenters(bins)));
  const pixels = raster.width * raster.height;
  const totalWeight = clusters.reduce((sum, c) => sum + c.weight, 0);
  const limit = maxResults > 0 ? maxResults : DEFAULT_DOMINANT_COLORS;
  return clusters
    .map((c) => ({
      color: { red: Math.round(c.r / c.count), green: Math.round(c.g / c.count), blue: Math.round(c.b / c.count), alpha: undefined },
      score: totalWeight > 0 ? c.weight / totalWeight : 0,
      pixelFraction: c.count / pixels,
    }))
    .sort((p, q) => q.score - p.score || q.pixelFraction - p.pixelFraction)
    .slice(0, limit);
}
