import { describe, InvalidJSONError } from '../errors.js';
import { squashByName, type SquashFunction } from '../squash.js';

const FORBIDDEN = ['__proto__', 'constructor', 'prototype'];

export interface ParsedUnit {
  layer: 'input' | 'output' | number;
  state: number;
  old: number;
  activation: number;
  bias: number;
  squash: SquashFunction;
}

export interface ParsedConnection {
  from: number;
  to: number;
  weight: number;
  gater: number;
}

export interface ParsedNetwork {
  units: ParsedUnit[];
  connections: ParsedConnection[];
  hiddenCount: number;
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
  if (!Array.isArray(root.neurons))
    throw new InvalidJSONError('$.neurons', `expected an array, got ${describe(root.neurons)}`);
  if (!Array.isArray(root.connections))
    throw new InvalidJSONError('$.connections', `expected an array, got ${describe(root.connections)}`);
  const size = root.neurons.length;
  let inputs = 0;
  let outputs = 0;
  const hidden = new Set<number>();
  const units: ParsedUnit[] = root.neurons.map((raw: unknown, i: number) => {
    const path = `$.neurons[${i}]`;
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
    return {
      layer: layer as ParsedUnit['layer'],
      state: finite(n.state, `${path}.state`, 0),
      old: finite(n.old, `${path}.old`, 0),
      activation: finite(n.activation, `${path}.activation`, 0),
      bias: finite(n.bias, `${path}.bias`),
      // 1.x writes null for a custom squash and loads it as LOGISTIC
      squash:
        squashName === null || squashName === undefined
          ? squashByName('LOGISTIC', path)
          : squashByName(squashName, `${path}.squash`),
    };
  });
  if (inputs === 0) throw new InvalidJSONError('$.neurons', 'no unit has layer "input"');
  if (outputs === 0) throw new InvalidJSONError('$.neurons', 'no unit has layer "output"');
  for (let h = 0; h < hidden.size; h++) {
    if (!hidden.has(h))
      throw new InvalidJSONError(
        '$.neurons',
        `hidden layers must be numbered from 0 without gaps: layer ${h} is missing`,
      );
  }
  const connections: ParsedConnection[] = root.connections.map((raw: unknown, i: number) => {
    const path = `$.connections[${i}]`;
    const c = record(raw, path);
    const gater = c.gater === null || c.gater === undefined ? -1 : index(c.gater, size, `${path}.gater`);
    return {
      from: index(c.from, size, `${path}.from`),
      to: index(c.to, size, `${path}.to`),
      weight: finite(c.weight, `${path}.weight`),
      gater,
    };
  });
  return { units, connections, hiddenCount: hidden.size };
}
