export { Neuron, type NeuronError, type NeuronConnections, type NeuronTrace, type ConnectedType } from './neuron.js';
export { Connection } from './connection.js';
export { Layer, type LayerOptions, type InitialWeights, type Projectable } from './layer.js';
export { LayerConnection } from './layer-connection.js';
export { Network, type BackwardOptions, type BpttOptions, type NetworkLayers, type NetworkUnit } from './network.js';
export { cost, builtInCostName, type CostFunction, type CostName, type Costs } from './cost.js';
export type { Parameter } from './parameters.js';
export {
  layerFunctions,
  LAYER_NORM_EPSILON,
  type LayerFunction,
  type LayerFunctionName,
  type LayerFunctionParams,
} from './layer-function.js';
export { type Shape, shapeSize } from './shape.js';
export {
  Op,
  opTensor,
  Convolution,
  MaxPool,
  AveragePool,
  maxPoolForward,
  maxPoolBackflow,
  averagePoolForward,
  averagePoolBackflow,
  Attention,
  Embedding,
  Positions,
  type AttentionOptions,
  type EmbeddingOptions,
  type PositionsOptions,
  poolShape,
  attachOp,
  opKinds,
  type OpDotEdge,
  type OpOptions,
  type OpTensor,
  type ConvolutionOptions,
  type PoolOptions,
  type PoolWindow,
  type OpFactory,
} from './ops/index.js';
export { connectionType, gateType, type ConnectionType, type GateType } from './types.js';
export { squash, SQUASH_NAMES, SQUASH_SOURCE, squashName, type SquashFunction, type SquashName } from './squash.js';
export { setRandom, getRandom, mulberry32, type RandomSource } from './random.js';
export type { NetworkExecutor, ExecutorFactory, PortableNetwork, PortableRunner } from './executor.js';
export type { Checkpoint } from './checkpoint.js';
export type {
  AnyNetworkJSON,
  ConnectionJSON,
  ConnectionJSONV2,
  NetworkJSON,
  NetworkJSONV2,
  NeuronJSON,
  UnitJSONV2,
} from './json/format.js';
export { FORMAT_NAME, FORMAT_VERSION, format1x } from './json/format.js';
export { structureEpoch } from './epoch.js';
export {
  SynapticError,
  SizeMismatchError,
  InvalidValueError,
  InvalidArgumentError,
  UnknownSquashError,
  GateError,
  InvalidJSONError,
  NonFiniteError,
  InvalidTokenError,
  OpError,
} from './errors.js';
export { Block, Segment, DENSE, DIAGONAL, LIST, type GatedGroup, type BlockKind } from './storage/block.js';
export { BLOCK_KINDS, kindRules } from './kinds/registry.js';
export type { BlockKindRules } from './kinds/kind.js';
export { at, bounds, walkCount, type Affine, type Bounds, type Walk } from './kinds/walk.js';
export { NeuronStore, STORE_FIELDS, type StoreField } from './storage/neuron-store.js';
/**
 * @internal Building blocks for executors (`@synaptic/compile`): the reference interpreter's
 * per-unit steps and the structure counter. Not part of the stable API.
 */
export { activateUnit, propagateUnit, unitState, unitTraces, updateUnit } from './interpreter.js';
export { activateFunctionLayer, propagateFunctionLayer } from './layer-interpreter.js';
export { backwardLayers, backwardUnit, backwardFunctionLayer, type OutputError } from './gradient.js';
export { bumpStructure } from './epoch.js';
export { activateOpLayer, backwardOpLayer, propagateOpLayer, opInputs } from './ops/schedule.js';
export { forEachInputSlot, forEachOutputSlot, segmentSize } from './wiring.js';
export { checkFinite, checkRate, checkVector } from './validate.js';
export { fitsFormat1x, forEachListedConnection, type ListedConnection } from './json/to-json.js';
export { rebuildOrders } from './json/listing-order.js';
