// CRC-32 (IEEE) of block contents: every pointer to a block carries the checksum of what it points to,
// so that mount and fsck notice a torn, lost or corrupted block.
// Slice-by-4: TABLES[k][b] is the CRC of byte b followed by k zero bytes, so four bytes fold in one step
// (checkpoints checksum every block they write: the byte-at-a-time loop showed in the lab's profile).
/** Whether an Int32 lands in memory low byte first (the aligned fast path reads words natively). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const TABLES: Int32Array[] = buildTables();
const [TABLE0, TABLE1, TABLE2, TABLE3] = TABLES;

function buildTables(): Int32Array[] {
  const tables = [new Int32Array(256), new Int32Array(256), new Int32Array(256), new Int32Array(256)];
  for (let byte = 0; byte < 256; byte++) {
    let value = byte;
    for (let bit = 0; bit < 8; bit++) value = value & 1 ? 0xedb88320 ^ (value >>> 1) : value >>> 1;
    tables[0][byte] = value;
  }
  for (let byte = 0; byte < 256; byte++) {
    for (let slice = 1; slice < 4; slice++) {
      const previous = tables[slice - 1][byte];
      tables[slice][byte] = tables[0][previous & 0xff] ^ (previous >>> 8);
    }
  }
  return tables;
}

export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const whole = end - ((end - start) & 3);
  let crc: number;
  // One loop per helper: a function with three loops got optimised on stack inside its first loop,
  // with no feedback for the others, and fell back to the interpreter mid-block at every call (~200
  // deoptimisations a ha-pair minute).
  if (LITTLE_ENDIAN && ((bytes.byteOffset + start) & 3) === 0) {
    // Aligned blocks (all of them in practice): four bytes with one load.
    crc = crcWords(new Int32Array(bytes.buffer, bytes.byteOffset + start, (whole - start) >>> 2), -1);
  } else {
    crc = crcQuads(bytes, start, whole, -1);
  }
  if (whole < end) crc = crcTail(bytes, whole, end, crc);
  return (crc ^ 0xffffffff) >>> 0;
}

function crcWords(words: Int32Array, crc: number): number {
  for (let word = 0; word < words.length; word++) {
    crc ^= words[word];
    crc = TABLE3[crc & 0xff] ^ TABLE2[(crc >>> 8) & 0xff] ^ TABLE1[(crc >>> 16) & 0xff] ^ TABLE0[crc >>> 24];
  }
  return crc;
}

function crcQuads(bytes: Uint8Array, start: number, end: number, crc: number): number {
  for (let index = start; index < end; index += 4) {
    crc ^= bytes[index] | (bytes[index + 1] << 8) | (bytes[index + 2] << 16) | (bytes[index + 3] << 24);
    crc = TABLE3[crc & 0xff] ^ TABLE2[(crc >>> 8) & 0xff] ^ TABLE1[(crc >>> 16) & 0xff] ^ TABLE0[crc >>> 24];
  }
  return crc;
}

function crcTail(bytes: Uint8Array, start: number, end: number, crc: number): number {
  for (let index = start; index < end; index++) crc = TABLE0[(crc ^ bytes[index]) & 0xff] ^ (crc >>> 8);
  return crc;
}
