/**
 * CRC-32 as zlib, gzip and PNG compute it (ISO-HDLC: reflected polynomial 0xEDB88320, initial value and final
 * XOR 0xFFFFFFFF), by the "slicing by 4" tables: four bytes per step. It guards saved weight data against
 * corruption (a flipped bit anywhere, or any burst of up to 32 bits, changes it); it is not a cryptographic hash.
 */
const TABLES = (() => {
  const t = new Uint32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  // t[k·256 + n]: the CRC of byte n followed by k zero bytes.
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 4; k++) t[k * 256 + n] = (t[(k - 1) * 256 + n]! >>> 8) ^ t[t[(k - 1) * 256 + n]! & 0xff]!;
  }
  return t;
})();

/**
 * The CRC-32 of `bytes` as an unsigned 32-bit integer (`crc32(utf8('123456789')) === 0xcbf43926`).
 *
 * @example
 * crc32(new TextEncoder().encode('123456789')); // 0xcbf43926
 * const artifacts = await modelToArtifacts(new Vae({ latentDim: 2 }));
 * const sum = crc32(new Uint8Array(artifacts.weightData as ArrayBuffer));
 */
export function crc32(bytes: Uint8Array): number {
  const t = TABLES;
  let c = 0xffffffff;
  let i = 0;
  const n = bytes.length;
  for (const end = n - (n % 4); i < end; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = t[768 + (c & 0xff)]! ^ t[512 + ((c >>> 8) & 0xff)]! ^ t[256 + ((c >>> 16) & 0xff)]! ^ t[c >>> 24]!;
  }
  for (; i < n; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
