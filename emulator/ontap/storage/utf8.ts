// UTF-8 without TextEncoder (the deterministic core compiles with ES libraries only: no DOM, no Node).
/** How many bytes encodeUtf8 makes of `text` (a lone surrogate takes three, as it encodes one). */
export function utf8Length(text: string): number {
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.codePointAt(index) as number;
    if (code < 0x80) length += 1;
    else if (code < 0x800) length += 2;
    else if (code < 0x10000) length += 3;
    else { length += 4; index++; }
  }
  return length;
}

/**
 * Sized first, then filled in place: no array of numbers and no string iterator (a CP encodes every
 * name of every directory it writes). Code points as `for…of` yields them: a lone surrogate as itself.
 */
export function encodeUtf8(text: string): Uint8Array {
  const bytes = new Uint8Array(utf8Length(text));
  let at = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.codePointAt(index) as number;
    if (code < 0x80) {
      bytes[at++] = code;
    } else if (code < 0x800) {
      bytes[at++] = 0xc0 | (code >> 6);
      bytes[at++] = 0x80 | (code & 0x3f);
    } else if (code < 0x10000) {
      bytes[at++] = 0xe0 | (code >> 12);
      bytes[at++] = 0x80 | ((code >> 6) & 0x3f);
      bytes[at++] = 0x80 | (code & 0x3f);
    } else {
      bytes[at++] = 0xf0 | (code >> 18);
      bytes[at++] = 0x80 | ((code >> 12) & 0x3f);
      bytes[at++] = 0x80 | ((code >> 6) & 0x3f);
      bytes[at++] = 0x80 | (code & 0x3f);
      index++;
    }
  }
  return bytes;
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
