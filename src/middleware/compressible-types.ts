/**
 * Media types not worth compressing: formats that are compressed already, where gzip or brotli
 * spend CPU to save nothing (or add bytes). Everything else is compressed, text and JSON first
 * of all; a response without a Content-Type is treated as `application/octet-stream` (RFC 9110
 * §8.3), opaque bytes, which usually are a compressed download.
 */
const INCOMPRESSIBLE_TYPES = new Set([
  'application/octet-stream',
  'application/zip',
  'application/gzip',
  'application/x-gzip',
  'application/x-bzip2',
  'application/x-xz',
  'application/zstd',
  'application/x-7z-compressed',
  'application/x-rar-compressed',
  'application/vnd.rar',
  'application/pdf',
  'font/woff',
  'font/woff2',
  'multipart/byteranges',
]);

/**
 * Whether a response of this Content-Type should be compressed: not images (PNG, JPEG, WebP,
 * AVIF are compressed formats; SVG, `image/svg+xml`, is text and is compressed), video, audio,
 * archives, WOFF fonts or opaque bytes.
 */
export function isCompressibleType(contentType: string | string[] | undefined): boolean {
  if (contentType === undefined) return false;
  let type = typeof contentType === 'string' ? contentType : (contentType[0] ?? '');
  const semicolon = type.indexOf(';');
  type = (semicolon === -1 ? type : type.slice(0, semicolon)).trim().toLowerCase();
  if (type.startsWith('image/')) return type.endsWith('+xml');
  if (type.startsWith('video/') || type.startsWith('audio/')) return false;
  return type !== '' && !INCOMPRESSIBLE_TYPES.has(type);
}
