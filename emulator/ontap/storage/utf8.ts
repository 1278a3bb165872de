// UTF-8 without TextEncoder (the deterministic core compiles with ES libraries only: no DOM, no Node).
export function encodeUtf8(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code < 0x80) bytes.push(code);
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 0x3f));
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
  }
  return Uint8Array.from(bytes);
}

/** Decodes UTF-8; a malformed sequence becomes U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < bytes.length;) {
    const first = bytes[index];
    const length = first < 0x80 ? 1 : first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 0;
    if (length === 0 || index + length > bytes.length) { text += '\ufffd'; index += 1; continue; }
    let code = length === 1 ? first : first & (0xff >> (length + 1));
    for (let offset = 1; offset < length; offset++) code = (code << 6) | (bytes[index + offset] & 0x3f);
    // A lead byte of 0xf5 or more gives a code point beyond Unicode, which fromCodePoint would throw on.
    text += code > 0x10ffff ? '\ufffd' : String.fromCodePoint(code);
    index += length;
  }
  return text;
}
