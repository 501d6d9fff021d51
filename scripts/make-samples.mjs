// Draws the sample images of samples/ (committed; rerun to recreate them).
// Synthetic pictures with known content, so the quick start's output can be
// checked by eye: a 3:1 red/blue flag, a sunset with one bright sun, and a
// green field under a blue sky.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'samples');
mkdirSync(out, { recursive: true });

const svg = (w, h, body) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${body}</svg>`);

await sharp(svg(400, 200, '<rect width="300" height="200" fill="#d81e1e"/><rect x="300" width="100" height="200" fill="#1e3cd8"/>'))
  .png()
  .toFile(join(out, 'flag.png'));

await sharp(
  svg(
    640,
    360,
    '<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#2b1055"/><stop offset="0.6" stop-color="#d4418e"/><stop offset="1" stop-color="#f7b733"/></linearGradient></defs>' +
      '<rect width="640" height="360" fill="url(#g)"/><circle cx="470" cy="250" r="45" fill="#fff6c8"/><rect y="300" width="640" height="60" fill="#1b1b2f"/>',
  ),
)
  .jpeg({ quality: 82 })
  .toFile(join(out, 'sunset.jpg'));

await sharp(
  svg(
    480,
    320,
    '<rect width="480" height="190" fill="#5aa9e6"/><rect y="190" width="480" height="130" fill="#3c8d2f"/>' +
      '<circle cx="90" cy="70" r="30" fill="#fff3b0"/><rect x="300" y="130" width="90" height="70" fill="#8b4513"/><polygon points="290,130 345,90 400,130" fill="#a52a2a"/>',
  ),
)
  .webp({ quality: 80 })
  .toFile(join(out, 'meadow.webp'));
process.stderr.write(`samples written to ${out}\n`);
