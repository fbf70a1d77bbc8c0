#!/usr/bin/env node
/**
 * Draws the app icon and the tray icon as PNGs, from code, so the repo needs no design
 * files or downloads: a violet rounded square holding a white envelope and a gold coin.
 * `node build/make-icons.mjs` rewrites build/icon.png (1024²), build/tray.png (32²) and
 * build/tray@2x.png (64²) and build/badge.png (32², the Windows taskbar overlay).
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function encodePng(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const inRoundedSquare = (x, y, inset, radius) => {
  const dx = Math.max(inset + radius - x, 0, x - (1 - inset - radius));
  const dy = Math.max(inset + radius - y, 0, y - (1 - inset - radius));
  return dx * dx + dy * dy <= radius * radius;
};
const nearSegment = (x, y, ax, ay, bx, by, width) => {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= width;
};

function appIcon(x, y) {
  if (!inRoundedSquare(x, y, 0.06, 0.2)) return [0, 0, 0, 0];
  const shade = 1 - y * 0.35;
  let color = [Math.round(110 * shade), Math.round(70 * shade), Math.round(245 * shade), 255];
  const inEnvelope = x > 0.2 && x < 0.74 && y > 0.32 && y < 0.7;
  if (inEnvelope) {
    color = [255, 255, 255, 255];
    if (nearSegment(x, y, 0.2, 0.32, 0.47, 0.53, 0.018) || nearSegment(x, y, 0.74, 0.32, 0.47, 0.53, 0.018)) {
      color = [110, 70, 220, 255];
    }
  }
  const coin = Math.hypot(x - 0.72, y - 0.68);
  if (coin < 0.15) color = coin < 0.12 ? [255, 196, 40, 255] : [214, 150, 20, 255];
  return color;
}

/** Tray icons are a plain silhouette: the OS tints them for light and dark menu bars. */
function trayIcon(x, y) {
  const envelope = x > 0.08 && x < 0.92 && y > 0.2 && y < 0.8;
  const flap = nearSegment(x, y, 0.08, 0.2, 0.5, 0.55, 0.07) || nearSegment(x, y, 0.92, 0.2, 0.5, 0.55, 0.07);
  return envelope && !flap ? [0, 0, 0, 255] : [0, 0, 0, 0];
}

/** Windows has no numeric taskbar badge: a red dot overlay says "something is waiting". */
function badgeDot(x, y) {
  const d = Math.hypot(x - 0.5, y - 0.5);
  if (d > 0.46) return [0, 0, 0, 0];
  return d > 0.36 ? [255, 255, 255, 255] : [220, 38, 38, 255];
}

const here = new URL('./', import.meta.url);
writeFileSync(new URL('icon.png', here), encodePng(1024, appIcon));
writeFileSync(new URL('tray.png', here), encodePng(32, trayIcon));
writeFileSync(new URL('tray@2x.png', here), encodePng(64, trayIcon));
writeFileSync(new URL('badge.png', here), encodePng(32, badgeDot));
console.log('wrote build/icon.png, build/tray.png, build/tray@2x.png, build/badge.png');
