// Just enough PNG parsing to tell a real image from garbage: the signature, then an IHDR chunk first.

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height of a PNG; throws when the bytes are not a PNG with a valid IHDR header chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  if (bytes.length < 33 || SIGNATURE.some((byte, i) => bytes[i] !== byte)) {
    throw new Error("not a PNG: missing the 8-byte PNG signature");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkLength = view.getUint32(8);
  const chunkType = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunkType !== "IHDR" || chunkLength !== 13) throw new Error("not a PNG: first chunk is not IHDR");
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width === 0 || height === 0) throw new Error("not a PNG: zero width or height");
  return { width, height };
}
