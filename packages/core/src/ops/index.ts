export { Op, opTensor, shapeOf, type OpDotEdge, type OpOptions, type OpTensor } from './op.js';
export { Convolution, type ConvolutionOptions } from './convolution.js';
export { MaxPool } from './max-pool.js';
export { AveragePool } from './average-pool.js';
export { poolShape, type PoolOptions, type PoolWindow } from './pool-window.js';
export { attachOp } from './attach.js';
export { opKinds, rebuildOp, type OpFactory } from './registry.js';
export { activateOpLayer, backwardOpLayer, opErrors, opInputs, propagateOpLayer } from './schedule.js';
