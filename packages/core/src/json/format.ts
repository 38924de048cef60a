import { SynapticError } from '../errors.js';
import type { LayerFunctionName } from '../layer-function.js';
import type { SquashName } from '../squash.js';

/** A unit in synaptic 1.x's JSON. `layer` is "input", "output" or the hidden layer's index. */
export interface NeuronJSON {
  trace: { elegibility: Record<string, number>; extended: Record<string, Record<string, number>> };
  state: number;
  old: number;
  activation: number;
  bias: number;
  layer: 'input' | 'output' | number;
  squash: SquashName | null;
}

/** A connection in 1.x's JSON: indices into `neurons`; from === to is a self-connection. */
export interface ConnectionJSON {
  from: number;
  to: number;
  weight: number;
  gater: number | null;
}

export interface NetworkJSON {
  neurons: NeuronJSON[];
  connections: ConnectionJSON[];
  /**
   * Not 1.x's (which ignores it): the order in which to apply `connections`, as runs [start, end) of
   * the list, so that each unit sums its inputs in the saved network's order. Written only when the
   * list's own order (1.x's: by source) would rebuild some unit's sums in another order, e.g. an
   * LSTM's output layer, which sums its cells before the input layer; absent, the list is applied
   * in order, as 1.x does.
   */
  replay?: Array<[number, number]>;
  /**
   * Not 1.x's either: the order in which to apply the connections' gaters, as runs of the list,
   * when applying them in replay order would not rebuild the order in which each gater's gated
   * connections into one unit were gated (the order of the sum `influence`, eq. 18 and 22).
   */
  gating?: Array<[number, number]>;
}

/** The name and version the versioned superset writes. */
export const FORMAT_NAME = 'synaptic';
export const FORMAT_VERSION = 2;

/**
 * A unit in the versioned superset: 1.x's fields, a layer function as squash (with the size of the
 * groups it runs over when the layer is grouped; LAYER_NORM's γ and β), and a fixed bias.
 */
export interface UnitJSONV2 extends Omit<NeuronJSON, 'squash'> {
  squash: SquashName | LayerFunctionName | null;
  /** the layer function runs over groups of this many contiguous units of the layer (absent: the whole layer) */
  group?: number;
  /** LAYER_NORM's gain γ and shift β of this unit */
  gamma?: number;
  beta?: number;
  biasFixed?: true;
}

export interface ConnectionJSONV2 extends ConnectionJSON {
  fixed?: true;
  /** the index of the connection whose weight this one reads (tied projections, `LayerConnection.tie`) */
  tie?: number;
}

/** A layer as the JSON names it: the `layer` field of its units. */
export type LayerRefJSON = 'input' | 'output' | number;

/** A shaped layer: `[width, height, channels]`, units in NHWC order. */
export interface LayerShapeJSON {
  layer: LayerRefJSON;
  shape: [number, number, number];
}

/**
 * A layer-level projection (convolution, pooling...): its kind, layers, the options its kind is
 * built from, and its parameter tensors (by name, e.g. `kernel`, `bias`) with their fixed entries.
 */
export interface OpJSON {
  kind: string;
  sources: LayerRefJSON[];
  target: LayerRefJSON;
  options: Record<string, number | number[]>;
  tensors: Record<string, number[]>;
  /** per tensor, the indices of fixed entries (left out when none is fixed) */
  fixed?: Record<string, number[]>;
}

/**
 * The versioned superset, written for networks 1.x's format cannot express (layer functions,
 * fixed parameters, shaped layers and layer-level projections such as convolutions). Its units are under `units`, not `neurons`, so that synaptic 1.x refuses
 * the file (its fromJSON fails reading `neurons`) instead of loading it as something else.
 */
export interface NetworkJSONV2 {
  format: typeof FORMAT_NAME;
  version: typeof FORMAT_VERSION;
  units: UnitJSONV2[];
  connections: ConnectionJSONV2[];
  /** shaped layers (left out when none is) */
  shapes?: LayerShapeJSON[];
  /** layer-level projections, in creation order (left out when there is none) */
  ops?: OpJSON[];
  /** as in 1.x's format (`NetworkJSON.replay`, `NetworkJSON.gating`) */
  replay?: Array<[number, number]>;
  gating?: Array<[number, number]>;
}

/** What `toJSON` writes: 1.x's format whenever it can express the network, else the superset. */
export type AnyNetworkJSON = NetworkJSON | NetworkJSONV2;

/** Narrows what `toJSON` wrote to 1.x's format, or says why the network needs the superset. */
export function format1x(json: AnyNetworkJSON): NetworkJSON {
  if ('neurons' in json) return json;
  throw new SynapticError(
    "this network uses what 1.x's JSON cannot express (a layer function or fixed parameters): it is written in the versioned format",
  );
}
