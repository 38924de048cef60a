/**
 * `JSON.stringify(value)` in pieces, for values too large for one string (V8 strings stop at
 * about 512 M characters: a model of 7.5 M connections). Objects and arrays down to `depth` are
 * opened here, their members stringified one by one and gathered into pieces of about `size`
 * characters; the concatenated pieces are exactly `JSON.stringify(value)`.
 */
export function* jsonPieces(value: unknown, depth = 2, size = 1 << 20): Generator<string> {
  let buffer = '';
  function* emit(text: string): Generator<string> {
    buffer += text;
    if (buffer.length >= size) {
      yield buffer;
      buffer = '';
    }
  }
  function* walk(v: unknown, level: number): Generator<string> {
    const plain = v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
    if (level >= depth || !plain) {
      yield* emit(JSON.stringify(v) ?? 'null');
      return;
    }
    if (Array.isArray(v)) {
      yield* emit('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) yield* emit(',');
        const item: unknown = v[i];
        // as JSON.stringify: undefined, functions and symbols in arrays are null
        yield* walk(
          item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item,
          level + 1,
        );
      }
      yield* emit(']');
      return;
    }
    yield* emit('{');
    let first = true;
    for (const [key, member] of Object.entries(v as Record<string, unknown>)) {
      if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
      yield* emit(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      yield* walk(member, level + 1);
    }
    yield* emit('}');
  }
  yield* walk(value, 0);
  if (buffer) yield buffer;
}
