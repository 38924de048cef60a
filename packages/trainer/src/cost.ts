/** The costs live in core (`backward` needs their gradients); the trainer re-exports the same objects. */
export { builtInCostName, cost, type CostFunction, type CostName } from '@synaptic/core';
