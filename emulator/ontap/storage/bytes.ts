// Little-endian field writer and reader for the on-disk formats (fsinfo, inodes, directories, labels).
import { decodeUtf8, encodeUtf8, utf8Length } from './utf8.ts';

export class ByteWriter {
  private readonly view: DataView;
  offset = 0;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(value: number): void { this.view.setUint8(this.offset, value); this.offset += 1; }
  u16(value: number): void { this.view.setUint16(this.offset, value, true); this.offset += 2; }
  u32(value: number): void { this.view.setUint32(this.offset, value >>> 0, true); this.offset += 4; }
  /** Integers up to 2^53 (sizes, microsecond times). */
  u64(value: number): void { this.view.setBigUint64(this.offset, BigInt(value), true); this.offset += 8; }
  /** A length-prefixed (u16) UTF-8 string. */
  text(value: string): void {
    const encoded = encodeUtf8(value);
    this.u16(encoded.length);
    this.bytes.set(encoded, this.offset);
    this.offset += encoded.length;
  }
  room(): number { return this.bytes.length - this.offset; }
}

export class ByteReader {
  private readonly view: DataView;
  offset = 0;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(): number { const value = this.view.getUint8(this.offset); this.offset += 1; return value; }
  u16(): number { const value = this.view.getUint16(this.offset, true); this.offset += 2; return value; }
  u32(): number { const value = this.view.getUint32(this.offset, true); this.offset += 4; return value; }
  u64(): number { const value = Number(this.view.getBigUint64(this.offset, true)); this.offset += 8; return value; }
  text(): string {
    const length = this.u16();
    if (this.offset + length > this.bytes.length) throw new RangeError('string runs past the block');
    const value = decodeUtf8(this.bytes.subarray(this.offset, this.offset + length));
    this.offset += length;
    return value;
  }
}

export function textBytes(value: string): number {
  return utf8Length(value);
}
