/**
 * Plain names and hex codes for colors (Vision's `google.type.Color`, 0–255
 * per channel), so a summary reads "#d81e1e red" rather than three numbers.
 */

/** An RGB color, 0–255 per channel (fractions allowed, as Vision sends them). */
export interface Rgb {
  /** Red, 0–255. */
  readonly red: number;
  /** Green, 0–255. */
  readonly green: number;
  /** Blue, 0–255. */
  readonly blue: number;
}

const clamp = (v: number): number => Math.min(255, Math.max(0, Math.round(Number.isFinite(v) ? v : 0)));

/** `#rrggbb` of a color (channels rounded and clamped to 0–255). */
export function hexColor(color: Rgb): string {
  return `#${[color.red, color.green, color.blue].map((v) => clamp(v).toString(16).padStart(2, '0')).join('')}`;
}

/** Hue ranges (degrees, upper bound exclusive) and their names. */
const HUES: readonly (readonly [number, string])[] = [
  [15, 'red'],
  [45, 'orange'],
  [70, 'yellow'],
  [160, 'green'],
  [200, 'cyan'],
  [260, 'blue'],
  [290, 'purple'],
  [335, 'magenta'],
  [360, 'red'],
];

/**
 * A basic English name of a color from its hue, saturation and lightness:
 * black, white and grays for unsaturated colors, brown for dark oranges,
 * pink for light reds and magentas, else the hue's name (red, orange,
 * yellow, green, cyan, blue, purple, magenta), with "dark "/"light " when
 * the lightness is far from the middle.
 */
export function colorName(color: Rgb): string {
  const r = clamp(color.red) / 255;
  const g = clamp(color.green) / 255;
  const b = clamp(color.blue) / 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  const s = d === 0 ? 0 : d / (1 - Math.abs(2 * l - 1));
  if (l < 0.1) return 'black';
  if (l > 0.93) return 'white';
  if (s < 0.15 || d < 0.05) return l < 0.3 ? 'dark gray' : l > 0.75 ? 'light gray' : 'gray';
  let h: number;
  if (max === r) h = 60 * (((g - b) / d) % 6);
  else if (max === g) h = 60 * ((b - r) / d + 2);
  else h = 60 * ((r - g) / d + 4);
  if (h < 0) h += 360;
  const hue = HUES.find(([upper]) => h < upper)?.[1] ?? 'red';
  if (hue === 'orange' && l < 0.4) return 'brown';
  if ((hue === 'red' || hue === 'magenta') && l > 0.75) return 'pink';
  if (l < 0.25) return `dark ${hue}`;
  if (l > 0.8) return `light ${hue}`;
  return hue;
}
