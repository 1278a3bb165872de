// A compact binary codec for what crosses the barrier between the conductor and an engine worker
// (window requests and results, snapshots, summaries): the plain-data subset of structured clone
// that actors may send — undefined, null, booleans, numbers, strings, arrays, plain objects and typed
// arrays. postMessage's structured clone and MessagePort hand-off cost about 30 µs a round trip on
// this kind of machine, most of a barrier; this codec writes straight into shared memory in a few µs.
// Anything else (a Map, a class instance, a function) is refused with the path to it, so a behaviour
// that sends one learns it at once rather than by a silently different copy.

const enum Tag {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  Int32 = 4,
  Float64 = 5,
  OneByteString = 6,
  TwoByteString = 7,
  Array = 8,
  Object = 9,
  Uint8Array = 10,
  TypedArray = 11,
  /** A short string met for the first time: its bytes follow, and it takes the next table slot. */
  NewInterned = 12,
  /** A short string met before: its table slot follows. */
  Interned = 13,
}

// Keys and names (actor, port, kind) repeat in every message. Each direction of a channel is one ordered
// stream, so writer and reader keep the same table of short strings: the second time, a string is two
// or three bytes, and the reader hands back the very string it made the first time (already internal
// to V8, so property stores with it are quick). The table is bounded; strings past it go inline.
const INTERNED_MAX_LENGTH = 40;
const INTERNED_MAX_COUNT = 8192;

// Typed arrays other than Uint8Array, by a one-byte kind; Uint8Array (disk blocks) has its own tag.
const TYPED_ARRAYS = [
  Int8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;

/** Encodes into a scratch buffer that grows as needed and is reused from message to message. */
export class WireWriter {
  private bytes = new Uint8Array(64 * 1024);
  private view = new DataView(this.bytes.buffer);
  private length = 0;
  private readonly interned = new Map<string, number>();
  private readonly internedInOrder: string[] = [];

  /**
   * The encoding of `value`, valid until the next call. A value that cannot be encoded throws a
   * WireError and leaves the writer as it was, so the reader stays in step.
   */
  encode(value: unknown): Uint8Array {
    this.length = 0;
    const internedBefore = this.internedInOrder.length;
    try {
      this.write(value, 0);
    } catch (error) {
      while (this.internedInOrder.length > internedBefore) this.interned.delete(this.internedInOrder.pop()!);
      throw error;
    }
    return this.bytes.subarray(0, this.length);
  }

  private reserve(count: number): void {
    const needed = this.length + count;
    if (needed <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  private tag(tag: Tag): void {
    this.reserve(1);
    this.bytes[this.length++] = tag;
  }

  private uint32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, value, true);
    this.length += 4;
  }

  private write(value: unknown, depth: number): void {
    switch (typeof value) {
      case 'undefined': return this.tag(Tag.Undefined);
      case 'boolean': return this.tag(value ? Tag.True : Tag.False);
      case 'number':
        if ((value | 0) === value && !Object.is(value, -0)) {
          this.reserve(5);
          this.bytes[this.length] = Tag.Int32;
          this.view.setInt32(this.length + 1, value, true);
          this.length += 5;
        } else {
          this.reserve(9);
          this.bytes[this.length] = Tag.Float64;
          this.view.setFloat64(this.length + 1, value, true);
          this.length += 9;
        }
        return;
      case 'string': return this.string(value);
      case 'object':
        if (value === null) return this.tag(Tag.Null);
        if (depth > 200) throw new WireError('nesting deeper than 200 levels');
        if (Array.isArray(value)) return this.array(value, depth);
        if (ArrayBuffer.isView(value)) return this.typedArray(value);
        if (isPlainObject(value)) return this.object(value as Record<string, unknown>, depth);
        throw new WireError(`a ${describe(value)} cannot cross a thread (plain data only)`);
      default:
        throw new WireError(`a ${typeof value} cannot cross a thread (plain data only)`);
    }
  }

  private string(value: string): void {
    const count = value.length;
    if (count <= INTERNED_MAX_LENGTH) {
      const slot = this.interned.get(value);
      if (slot !== undefined) {
        this.reserve(5);
        this.bytes[this.length] = Tag.Interned;
        this.view.setUint32(this.length + 1, slot, true);
        this.length += 5;
        return;
      }
      if (this.interned.size < INTERNED_MAX_COUNT && isOneByte(value)) {
        this.interned.set(value, this.interned.size);
        this.internedInOrder.push(value);
        this.reserve(2 + count);
        this.bytes[this.length] = Tag.NewInterned;
        this.bytes[this.length + 1] = count;
        let at = this.length + 2;
        for (let index = 0; index < count; index++) this.bytes[at++] = value.charCodeAt(index);
        this.length = at;
        return;
      }
    }
    let oneByte = true;
    for (let index = 0; index < count; index++) {
      if (value.charCodeAt(index) > 0xff) { oneByte = false; break; }
    }
    this.reserve(5 + count * (oneByte ? 1 : 2));
    this.bytes[this.length] = oneByte ? Tag.OneByteString : Tag.TwoByteString;
    this.view.setUint32(this.length + 1, count, true);
    let at = this.length + 5;
    if (oneByte) {
      for (let index = 0; index < count; index++) this.bytes[at++] = value.charCodeAt(index);
    } else {
      for (let index = 0; index < count; index++, at += 2) this.view.setUint16(at, value.charCodeAt(index), true);
    }
    this.length = at;
  }

  private array(value: unknown[], depth: number): void {
    this.tag(Tag.Array);
    this.uint32(value.length);
    for (let index = 0; index < value.length; index++) {
      try {
        this.write(value[index], depth + 1);
      } catch (error) {
        throw WireError.at(error, `[${index}]`);
      }
    }
  }

  private object(value: Record<string, unknown>, depth: number): void {
    this.tag(Tag.Object);
    const countAt = this.length;
    this.uint32(0);
    let count = 0;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      this.string(key);
      try {
        this.write(value[key], depth + 1);
      } catch (error) {
        throw WireError.at(error, `.${key}`);
      }
      count++;
    }
    this.view.setUint32(countAt, count, true);
  }

  private typedArray(value: ArrayBufferView): void {
    if (value instanceof Uint8Array) {
      this.reserve(5 + value.length);
      this.bytes[this.length] = Tag.Uint8Array;
      this.view.setUint32(this.length + 1, value.length, true);
      this.bytes.set(value, this.length + 5);
      this.length += 5 + value.length;
      return;
    }
    const kind = TYPED_ARRAYS.findIndex((type) => value instanceof type);
    if (kind < 0) throw new WireError(`a ${describe(value)} cannot cross a thread (plain data only)`);
    this.reserve(6 + value.byteLength);
    this.bytes[this.length] = Tag.TypedArray;
    this.bytes[this.length + 1] = kind;
    this.view.setUint32(this.length + 2, value.byteLength, true);
    this.bytes.set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength), this.length + 6);
    this.length += 6 + value.byteLength;
  }
}

/** Decodes what one WireWriter wrote, message by message, in the order it wrote them. */
export class WireReader {
  private offset = 0;
  private bytes: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(this.bytes.buffer);
  private readonly interned: string[] = [];

  /** One value from `bytes` (which may be a view of shared memory: nothing decoded shares it). */
  decode(bytes: Uint8Array): unknown {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = 0;
    const value = this.read(0);
    if (this.offset !== bytes.length) throw new WireError(`${bytes.length - this.offset} bytes left over after the value`);
    return value;
  }

  /** `depth`: the nesting so far; the writer refuses more than 200 levels, so a deeper input is forged. */
  private read(depth: number): unknown {
    const tag = this.bytes[this.offset++] as Tag;
    switch (tag) {
      case Tag.Undefined: return undefined;
      case Tag.Null: return null;
      case Tag.False: return false;
      case Tag.True: return true;
      case Tag.Int32: {
        const value = this.view.getInt32(this.offset, true);
        this.offset += 4;
        return value;
      }
      case Tag.Float64: {
        const value = this.view.getFloat64(this.offset, true);
        this.offset += 8;
        return value;
      }
      case Tag.NewInterned: {
        const count = this.bytes[this.offset++];
        this.check(count);
        const text = String.fromCharCode.apply(null, this.bytes.subarray(this.offset, this.offset + count) as unknown as number[]);
        this.offset += count;
        this.interned.push(text);
        return text;
      }
      case Tag.Interned: {
        const text = this.interned[this.uint32()];
        if (text === undefined) throw new WireError(`a string table slot never filled, at byte ${this.offset - 4} (out of step with the writer)`);
        return text;
      }
      case Tag.OneByteString: return this.oneByteString();
      case Tag.TwoByteString: return this.twoByteString();
      case Tag.Array: {
        const count = this.containerCount(depth, 1);
        const array: unknown[] = new Array(count);
        for (let index = 0; index < count; index++) array[index] = this.read(depth + 1);
        return array;
      }
      case Tag.Object: {
        const count = this.containerCount(depth, 2);
        const object: Record<string, unknown> = {};
        for (let index = 0; index < count; index++) {
          const key = this.read(depth + 1);
          if (typeof key !== 'string') throw new WireError(`an object key that is not a string at byte ${this.offset}`);
          const item = this.read(depth + 1);
          // A key named __proto__ is data here, as in structured clone, not the object's prototype.
          if (key === '__proto__') Object.defineProperty(object, key, { value: item, enumerable: true, writable: true, configurable: true });
          else object[key] = item;
        }
        return object;
      }
      case Tag.Uint8Array: {
        const count = this.uint32();
        this.check(count);
        const array = this.bytes.slice(this.offset, this.offset + count);
        this.offset += count;
        return array;
      }
      case Tag.TypedArray: {
        const type = TYPED_ARRAYS[this.bytes[this.offset++]];
        const byteLength = this.uint32();
        this.check(byteLength);
        if (!type) throw new WireError(`unknown typed array kind at byte ${this.offset - 5}`);
        if (byteLength % type.BYTES_PER_ELEMENT !== 0) throw new WireError(`a ${type.name} of ${byteLength} bytes at byte ${this.offset - 4}`);
        const copy = this.bytes.slice(this.offset, this.offset + byteLength);
        this.offset += byteLength;
        return new type(copy.buffer);
      }
      default:
        throw new WireError(`unknown tag ${tag as number} at byte ${this.offset - 1}`);
    }
  }

  /** An array's or object's count, refused when deeper than a writer goes or longer than the bytes left. */
  private containerCount(depth: number, bytesPerItem: number): number {
    if (depth > 200) throw new WireError(`nesting deeper than 200 levels at byte ${this.offset - 1}`);
    const count = this.uint32();
    this.check(count * bytesPerItem);
    return count;
  }

  private uint32(): number {
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  private check(count: number): void {
    if (this.offset + count > this.bytes.length) throw new WireError(`a value runs ${this.offset + count - this.bytes.length} bytes past the end`);
  }

  private oneByteString(): string {
    const count = this.uint32();
    this.check(count);
    const start = this.offset;
    this.offset += count;
    // Short strings (keys, actor and port names) are most of them: one call, no intermediate array.
    if (count <= 4096) return String.fromCharCode.apply(null, this.bytes.subarray(start, start + count) as unknown as number[]);
    let text = '';
    for (let at = start; at < start + count; at += 4096) {
      text += String.fromCharCode.apply(null, this.bytes.subarray(at, Math.min(at + 4096, start + count)) as unknown as number[]);
    }
    return text;
  }

  private twoByteString(): string {
    const count = this.uint32();
    this.check(count * 2);
    const units: number[] = new Array(count);
    for (let index = 0; index < count; index++, this.offset += 2) units[index] = this.view.getUint16(this.offset, true);
    let text = '';
    for (let at = 0; at < count; at += 4096) text += String.fromCharCode.apply(null, units.slice(at, at + 4096));
    return text;
  }
}

export class WireError extends Error {
  constructor(message: string, readonly path = '') {
    super(path ? `${message} (at value${path})` : message);
    this.name = 'WireError';
  }

  /** The same error with one more step of the path in front. */
  static at(error: unknown, step: string): WireError {
    if (!(error instanceof WireError)) throw error;
    const reason = error.path ? error.message.slice(0, error.message.lastIndexOf(' (at value')) : error.message;
    return new WireError(reason, step + error.path);
  }
}

function isOneByte(value: string): boolean {
  for (let index = 0; index < value.length; index++) if (value.charCodeAt(index) > 0xff) return false;
  return true;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function describe(value: object): string {
  return (value.constructor as { name?: string } | undefined)?.name ?? 'object without a prototype';
}
