import { describe, InvalidJSONError } from '../errors.js';
import { layerFunctions, type LayerFunctionName } from '../layer-function.js';
import { LAYER_FUNCTION_MARKERS, squashByName, type SquashFunction } from '../squash.js';
import { FORMAT_NAME, FORMAT_VERSION } from './format.js';
import { opKinds } from '../ops/registry.js';

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];

export interface ParsedUnit {
  layer: 'input' | 'output' | number;
  state: number;
  old: number;
  activation: number;
  bias: number;
  squash: SquashFunction;
  /** v2: the unit's layer runs this layer function */
  layerFunction: LayerFunctionName | null;
  /** v2: the size of the groups the layer function runs over, or 0 (the whole layer) */
  group: number;
  /** v2: LAYER_NORM's γ and β (1 and 0 when absent) */
  gamma: number;
  beta: number;
  biasFixed: boolean;
}

export interface ParsedConnection {
  from: number;
  to: number;
  weight: number;
  gater: number;
  fixed: boolean;
  /** the connection whose weight this one reads (its index in `ParsedNetwork.connections`), or -1 */
  tie: number;
  /** where the file lists it (the index in `$.connections`, for messages) */
  listed: number;
}

export type ParsedLayerRef = 'input' | 'output' | number;

export interface ParsedOp {
  kind: string;
  sources: ParsedLayerRef[];
  target: ParsedLayerRef;
  options: Record<string, number | number[]>;
  tensors: Map<string, number[]>;
  fixed: Map<string, number[]>;
  path: string;
}

export interface ParsedNetwork {
  units: ParsedUnit[];
  /** in the order to apply them: the file's, or the order its `replay` gives */
  connections: ParsedConnection[];
  /** the order to apply their gates in (indices into `connections`), or null: theirs */
  gateOrder: Int32Array | null;
  hiddenCount: number;
  /** v2: shaped layers */
  shapes: Array<{ layer: ParsedLayerRef; shape: [number, number, number] }>;
  /** v2: layer-level projections, in creation order */
  ops: ParsedOp[];
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new InvalidJSONError(path, `expected an object, got ${describe(value)}`);
  for (const key of FORBIDDEN) {
    if (Object.hasOwn(value, key)) throw new InvalidJSONError(`${path}.${key}`, 'this key is not allowed');
  }
  return value as Record<string, unknown>;
}

function finite(value: unknown, path: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InvalidJSONError(path, `expected a finite number, got ${describe(value)}`);
  return value;
}

function index(value: unknown, size: number, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= size) {
    throw new InvalidJSONError(path, `expected a unit index from 0 to ${size - 1}, got ${describe(value)}`);
  }
  return value;
}

/** Checks everything before anything is built, so a bad file builds nothing. */
export function parseNetworkJSON(input: unknown): ParsedNetwork {
  let json = input;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (error) {
      throw new InvalidJSONError('$', `not JSON (${(error as Error).message})`);
    }
  }
  const root = record(json, '$');
  // the versioned superset (layer functions, fixed parameters) lists units under `units`
  const v2 = root.format !== undefined || root.version !== undefined;
  if (v2) {
    if (root.format !== FORMAT_NAME)
      throw new InvalidJSONError('$.format', `expected ${JSON.stringify(FORMAT_NAME)}, got ${describe(root.format)}`);
    if (root.version !== FORMAT_VERSION)
      throw new InvalidJSONError(
        '$.version',
        `this library reads version ${FORMAT_VERSION}, got ${describe(root.version)}`,
      );
  }
  const key = v2 ? 'units' : 'neurons';
  const list = root[key];
  if (!Array.isArray(list)) throw new InvalidJSONError(`$.${key}`, `expected an array, got ${describe(list)}`);
  if (!Array.isArray(root.connections))
    throw new InvalidJSONError('$.connections', `expected an array, got ${describe(root.connections)}`);
  const size = list.length;
  let inputs = 0;
  let outputs = 0;
  const hidden = new Set<number>();
  const units: ParsedUnit[] = list.map((raw: unknown, i: number) => {
    const path = `$.${key}[${i}]`;
    const n = record(raw, path);
    const layer = n.layer;
    if (layer === 'input') inputs++;
    else if (layer === 'output') outputs++;
    else if (typeof layer === 'number' && Number.isInteger(layer) && layer >= 0 && layer < size) hidden.add(layer);
    else
      throw new InvalidJSONError(
        `${path}.layer`,
        `expected "input", "output" or a hidden layer index, got ${describe(layer)}`,
      );
    const squashName = n.squash;
    const fn = v2 && typeof squashName === 'string' && Object.hasOwn(layerFunctions, squashName) ? squashName : null;
    if (v2 && n.biasFixed !== undefined && typeof n.biasFixed !== 'boolean')
      throw new InvalidJSONError(`${path}.biasFixed`, `expected true or false, got ${describe(n.biasFixed)}`);
    let group = 0;
    if (v2 && n.group !== undefined) {
      if (fn === null) throw new InvalidJSONError(`${path}.group`, 'only the units of a layer function have a group');
      if (typeof n.group !== 'number' || !Number.isInteger(n.group) || n.group < 1)
        throw new InvalidJSONError(`${path}.group`, `expected a positive integer, got ${describe(n.group)}`);
      group = n.group;
    }
    const norm = fn === 'LAYER_NORM';
    return {
      group,
      gamma: norm ? finite(n.gamma, `${path}.gamma`, 1) : 1,
      beta: norm ? finite(n.beta, `${path}.beta`, 0) : 0,
      layerFunction: fn as LayerFunctionName | null,
      biasFixed: v2 && n.biasFixed === true,
      layer: layer as ParsedUnit['layer'],
      state: finite(n.state, `${path}.state`, 0),
      old: finite(n.old, `${path}.old`, 0),
      activation: finite(n.activation, `${path}.activation`, 0),
      bias: finite(n.bias, `${path}.bias`),
      // 1.x writes null for a custom squash and loads it as LOGISTIC
      squash:
        fn !== null
          ? LAYER_FUNCTION_MARKERS[fn as LayerFunctionName]
          : squashName === null || squashName === undefined
            ? squashByName('LOGISTIC', path)
            : squashByName(squashName, `${path}.squash`),
    };
  });
  if (inputs === 0) throw new InvalidJSONError(`$.${key}`, 'no unit has layer "input"');
  if (outputs === 0) throw new InvalidJSONError(`$.${key}`, 'no unit has layer "output"');
  for (let h = 0; h < hidden.size; h++) {
    if (!hidden.has(h))
      throw new InvalidJSONError(
        `$.${key}`,
        `hidden layers must be numbered from 0 without gaps: layer ${h} is missing`,
      );
  }
  // a layer function covers a whole (non-input) layer
  const functionOf = new Map<ParsedUnit['layer'], LayerFunctionName | null>();
  units.forEach((u, i) => {
    const seen = functionOf.get(u.layer);
    if (seen === undefined) functionOf.set(u.layer, u.layerFunction);
    else if (seen !== u.layerFunction)
      throw new InvalidJSONError(
        `$.${key}[${i}].squash`,
        `a layer function covers a whole layer: layer ${JSON.stringify(u.layer)} mixes ${seen ?? 'squashes'} and ${u.layerFunction ?? 'squashes'}`,
      );
  });
  if (functionOf.get('input')) throw new InvalidJSONError(`$.${key}`, 'the input layer cannot run a layer function');
  // a group is the layer's, and divides its size
  const groupOf = new Map<ParsedUnit['layer'], { group: number; size: number }>();
  units.forEach((u, i) => {
    const seen = groupOf.get(u.layer);
    if (seen === undefined) groupOf.set(u.layer, { group: u.group, size: 1 });
    else if (seen.group !== u.group)
      throw new InvalidJSONError(
        `$.${key}[${i}].group`,
        `the units of layer ${JSON.stringify(u.layer)} differ in group`,
      );
    else seen.size++;
  });
  for (const [layer, { group, size }] of groupOf)
    if (group > 0 && size % group !== 0)
      throw new InvalidJSONError(
        `$.${key}`,
        `layer ${JSON.stringify(layer)}'s group ${group} does not divide its ${size} units`,
      );
  const connections: ParsedConnection[] = root.connections.map((raw: unknown, i: number) => {
    const path = `$.connections[${i}]`;
    const c = record(raw, path);
    const gater = c.gater === null || c.gater === undefined ? -1 : index(c.gater, size, `${path}.gater`);
    if (v2 && c.fixed !== undefined && typeof c.fixed !== 'boolean')
      throw new InvalidJSONError(`${path}.fixed`, `expected true or false, got ${describe(c.fixed)}`);
    const tie = v2 && c.tie !== undefined ? index(c.tie, (root.connections as unknown[]).length, `${path}.tie`) : -1;
    return {
      tie,
      fixed: v2 && c.fixed === true,
      from: index(c.from, size, `${path}.from`),
      to: index(c.to, size, `${path}.to`),
      weight: finite(c.weight, `${path}.weight`),
      gater,
      listed: i,
    };
  });
  const sizes = new Map<ParsedLayerRef, number>();
  for (const u of units) sizes.set(u.layer, (sizes.get(u.layer) ?? 0) + 1);
  const shapes = v2 ? parseShapes(root.shapes, sizes) : [];
  const ops = v2 ? parseOps(root.ops, sizes) : [];
  return { units, ...inReplayOrder(connections, root), hiddenCount: hidden.size, shapes, ops };
}

function layerRef(value: unknown, sizes: Map<ParsedLayerRef, number>, path: string): ParsedLayerRef {
  if ((value === 'input' || value === 'output' || typeof value === 'number') && sizes.has(value)) return value;
  throw new InvalidJSONError(path, `expected "input", "output" or the index of a hidden layer, got ${describe(value)}`);
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new InvalidJSONError(path, `expected an array, got ${describe(value)}`);
  return value;
}

function parseShapes(value: unknown, sizes: Map<ParsedLayerRef, number>): ParsedNetwork['shapes'] {
  if (value === undefined) return [];
  const seen = new Set<ParsedLayerRef>();
  return list(value, '$.shapes').map((raw, i) => {
    const path = `$.shapes[${i}]`;
    const entry = record(raw, path);
    const layer = layerRef(entry.layer, sizes, `${path}.layer`);
    if (seen.has(layer)) throw new InvalidJSONError(`${path}.layer`, `layer ${JSON.stringify(layer)} has two shapes`);
    seen.add(layer);
    const shape = list(entry.shape, `${path}.shape`);
    if (shape.length !== 3 || !shape.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1))
      throw new InvalidJSONError(`${path}.shape`, 'expected [width, height, channels], positive integers');
    const [w, h, c] = shape as number[];
    if (w * h * c !== sizes.get(layer))
      throw new InvalidJSONError(
        `${path}.shape`,
        `${w}×${h}×${c} is ${w * h * c} units; layer ${JSON.stringify(layer)} has ${sizes.get(layer)}`,
      );
    return { layer, shape: [w, h, c] };
  });
}

function parseOps(value: unknown, sizes: Map<ParsedLayerRef, number>): ParsedOp[] {
  if (value === undefined) return [];
  return list(value, '$.ops').map((raw, i) => {
    const path = `$.ops[${i}]`;
    const entry = record(raw, path);
    if (typeof entry.kind !== 'string' || !Object.hasOwn(opKinds, entry.kind))
      throw new InvalidJSONError(
        `${path}.kind`,
        `expected one of ${Object.keys(opKinds).join(', ')}, got ${describe(entry.kind)}`,
      );
    const sources = list(entry.sources, `${path}.sources`).map((s, k) => layerRef(s, sizes, `${path}.sources[${k}]`));
    const target = layerRef(entry.target, sizes, `${path}.target`);
    const options: Record<string, number | number[]> = {};
    for (const [key, v] of Object.entries(record(entry.options, `${path}.options`))) {
      const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n);
      if (!(ok(v) || (Array.isArray(v) && v.length <= 8 && v.every(ok))))
        throw new InvalidJSONError(
          `${path}.options.${key}`,
          `expected an integer or a list of integers, got ${describe(v)}`,
        );
      options[key] = Array.isArray(v) ? v.slice() : (v as number);
    }
    const tensors = new Map<string, number[]>();
    for (const [key, v] of Object.entries(record(entry.tensors, `${path}.tensors`))) {
      const values = list(v, `${path}.tensors.${key}`);
      values.forEach((n, k) => finite(n, `${path}.tensors.${key}[${k}]`));
      tensors.set(key, values as number[]);
    }
    const fixed = new Map<string, number[]>();
    if (entry.fixed !== undefined) {
      for (const [key, v] of Object.entries(record(entry.fixed, `${path}.fixed`))) {
        const at = list(v, `${path}.fixed.${key}`);
        const length = tensors.get(key)?.length ?? 0;
        at.forEach((n, k) => index(n, length, `${path}.fixed.${key}[${k}]`));
        fixed.set(key, at as number[]);
      }
    }
    return { kind: entry.kind, sources, target, options, tensors, fixed, path };
  });
}

/**
 * The connections in the order `replay` gives, ties renumbered to match, and the order `gating`
 * gives as indices into that list (see `NetworkJSON.replay` and `.gating`). Without them, the
 * file's list and order.
 */
function inReplayOrder(
  connections: ParsedConnection[],
  root: Record<string, unknown>,
): { connections: ParsedConnection[]; gateOrder: Int32Array | null } {
  const n = connections.length;
  const replay = permutation(root.replay, n, '$.replay');
  const gating = permutation(root.gating, n, '$.gating');
  if (replay === null && gating === null) return { connections, gateOrder: null };
  const position = new Int32Array(n);
  if (replay !== null) replay.forEach((i, k) => (position[i] = k));
  else position.forEach((_, k) => (position[k] = k));
  const ordered =
    replay === null
      ? connections
      : Array.from(replay, (i) => {
          const c = connections[i];
          return c.tie < 0 ? c : { ...c, tie: position[c.tie] };
        });
  return { connections: ordered, gateOrder: gating === null ? null : gating.map((i) => position[i]) };
}

/** Runs [start, end) of a list of n that cover it once each, as the permutation they spell; null if absent. */
function permutation(runs: unknown, n: number, path: string): Int32Array | null {
  if (runs === undefined) return null;
  if (!Array.isArray(runs))
    throw new InvalidJSONError(path, `expected an array of [start, end] runs, got ${describe(runs)}`);
  const order = new Int32Array(n);
  const seen = new Uint8Array(n);
  let k = 0;
  runs.forEach((run: unknown, r: number) => {
    const [start, end] = Array.isArray(run) && run.length === 2 ? run : [];
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > n || start >= end)
      throw new InvalidJSONError(
        `${path}[${r}]`,
        `expected a run [start, end] with 0 <= start < end <= ${n}, got ${describe(run)}`,
      );
    for (let i = start; i < end; i++) {
      if (seen[i]) throw new InvalidJSONError(`${path}[${r}]`, `connection ${i} is already in an earlier run`);
      seen[i] = 1;
      order[k++] = i;
    }
  });
  if (k !== n) throw new InvalidJSONError(path, `the runs cover ${k} of the ${n} connections, not all of them`);
  return order;
}
