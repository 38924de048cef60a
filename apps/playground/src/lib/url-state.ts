/**
 * A page's settings, kept in the URL's hash (`#hidden=4&rate=0.3`), so that a reload or a shared
 * link restores them. Each field is checked when read: a value that does not fit is reported
 * (the page shows it) and replaced by the field's default.
 */

export interface NumberField {
  kind: 'int' | 'number';
  default: number;
  min: number;
  max: number;
  label: string;
  /** Kept in the URL but set by the page's own view, not by the settings form. */
  hidden?: boolean;
}
export interface ChoiceField {
  kind: 'choice';
  default: string;
  options: readonly string[];
  label: string;
  hidden?: boolean;
}
export interface TextField {
  kind: 'text';
  default: string;
  label: string;
  pattern?: RegExp;
  hidden?: boolean;
}
export type Field = NumberField | ChoiceField | TextField;

export type Schema = Record<string, Field>;

export type Values<S extends Schema> = {
  [K in keyof S]: S[K] extends { kind: 'choice' | 'text' } ? string : number;
};

export interface ReadResult<S extends Schema> {
  values: Values<S>;
  /** One line per value of the URL that was refused. */
  problems: string[];
}

export function int(label: string, value: number, min: number, max: number): NumberField {
  return { kind: 'int', default: value, min, max, label };
}
export function number(label: string, value: number, min: number, max: number): NumberField {
  return { kind: 'number', default: value, min, max, label };
}
export function choice(label: string, value: string, options: readonly string[]): ChoiceField {
  return { kind: 'choice', default: value, options, label };
}
export function text(label: string, value: string, pattern?: RegExp): TextField {
  return pattern ? { kind: 'text', default: value, label, pattern } : { kind: 'text', default: value, label };
}

/** The same field, kept out of the settings form. */
export function hidden<F extends Field>(field: F): F {
  return { ...field, hidden: true };
}

/** Checks one raw string against a field: the value, or a sentence saying why not. */
export function parseField(field: Field, raw: string): { value: number | string } | { problem: string } {
  switch (field.kind) {
    case 'int':
    case 'number': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) return { problem: `is not a number (${JSON.stringify(raw)})` };
      if (field.kind === 'int' && !Number.isInteger(value)) return { problem: `must be a whole number, got ${raw}` };
      if (value < field.min || value > field.max)
        return { problem: `must be from ${field.min} to ${field.max}, got ${raw}` };
      return { value };
    }
    case 'choice':
      return field.options.includes(raw)
        ? { value: raw }
        : { problem: `must be one of ${field.options.join(', ')}, got ${JSON.stringify(raw)}` };
    case 'text':
      return field.pattern && !field.pattern.test(raw)
        ? { problem: `is not in the expected form (${JSON.stringify(raw)})` }
        : { value: raw };
  }
}

export function defaults<S extends Schema>(schema: S): Values<S> {
  const out: Record<string, number | string> = {};
  for (const [key, field] of Object.entries(schema)) out[key] = field.default;
  return out as Values<S>;
}

/** Reads the settings from a hash such as `#hidden=4&rate=0.3`; unknown keys are reported too. */
export function readHash<S extends Schema>(schema: S, hash: string): ReadResult<S> {
  const values = defaults(schema) as Record<string, number | string>;
  const problems: string[] = [];
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  for (const [key, raw] of params) {
    const field = schema[key];
    if (!field) {
      problems.push(`${key}: is not a setting of this page (known: ${Object.keys(schema).join(', ')})`);
      continue;
    }
    const parsed = parseField(field, raw);
    if ('problem' in parsed) problems.push(`${key} ${parsed.problem}; using ${field.default}`);
    else values[key] = parsed.value;
  }
  return { values: values as Values<S>, problems };
}

/** The hash for `values`: only the settings that differ from their defaults, in schema order. */
export function writeHash<S extends Schema>(schema: S, values: Values<S>): string {
  const params = new URLSearchParams();
  for (const [key, field] of Object.entries(schema)) {
    const value = (values as Record<string, number | string>)[key];
    if (value !== field.default) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `#${text}` : '';
}
