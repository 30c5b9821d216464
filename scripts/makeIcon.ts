/**
 * Draws the Marketplace icon, `images/icon.png`: a person inside a ring, white on a
 * blue rounded square, 128×128 RGBA. Plain node (zlib for the PNG's deflate
 * stream), so the icon can be redrawn and reviewed without an image editor.
 *
 * `node out/scripts/makeIcon.js [out.png]`
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/** Side of the icon in pixels; the Marketplace asks for at least 128. */
export const ICON_SIZE = 128;

/** Samples per pixel side: 4×4 samples make smooth (anti-aliased) edges. */
const SUPERSAMPLE = 4;

type Rgba = [number, number, number, number];

const TOP: Rgba = [0x2a, 0x6f, 0xd6, 255];
const BOTTOM: Rgba = [0x1f, 0x3a, 0x93, 255];
const WHITE: Rgba = [255, 255, 255, 255];

/** The colour of the icon at a point in [0, 1]², or undefined when transparent. */
function shade(x: number, y: number): Rgba | undefined {
  if (!inRoundedSquare(x, y, 0.02, 0.2)) return undefined;
  const cx = x - 0.5;
  const cy = y - 0.5;
  const r = Math.hypot(cx, cy);
  // The ring.
  if (r >= 0.3 && r <= 0.36) return WHITE;
  if (r < 0.3) {
    // Head.
    if (Math.hypot(cx, y - 0.42) <= 0.1) return WHITE;
    // Shoulders: the top of an ellipse, cut by the ring's inside.
    const sx = cx / 0.2;
    const sy = (y - 0.76) / 0.2;
    if (sx * sx + sy * sy <= 1 && r <= 0.26) return WHITE;
  }
  const t = y;
  return [0, 1, 2, 3].map((i) => Math.round(TOP[i] * (1 - t) + BOTTOM[i] * t)) as Rgba;
}

function inRoundedSquare(x: number, y: number, inset: number, radius: number): boolean {
  const lo = inset + radius;
  const hi = 1 - inset - radius;
  const dx = x < lo ? lo - x : x > hi ? x - hi : 0;
  const dy = y < lo ? lo - y : y > hi ? y - hi : 0;
  if (x < inset || x > 1 - inset || y < inset || y > 1 - inset) return false;
  return dx * dx + dy * dy <= radius * radius;
}

/** The icon's pixels, RGBA, row by row (colour premultiplied while averaging, then undone). */
export function renderIcon(size = ICON_SIZE): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const n = SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const colour = shade((px + (sx + 0.5) / n) / size, (py + (sy + 0.5) / n) / size);
          if (!colour) continue;
          const alpha = colour[3] / 255;
          for (let i = 0; i < 3; i++) sum[i] += colour[i] * alpha;
          sum[3] += alpha;
        }
      }
      const offset = (py * size + px) * 4;
      const coverage = sum[3];
      for (let i = 0; i < 3; i++) pixels[offset + i] = coverage > 0 ? Math.round(sum[i] / coverage) : 0;
      pixels[offset + 3] = Math.round((coverage / (n * n)) * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/** Encodes RGBA pixels as a PNG (8-bit RGBA, no filter, maximum deflate). */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const rows = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    rows[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (require.main === module) {
  const out = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', 'images', 'icon.png'));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, encodePng(ICON_SIZE, ICON_SIZE, renderIcon()));
  process.stdout.write(`${out}\n`);
}
