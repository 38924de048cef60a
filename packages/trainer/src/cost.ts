/** A cost of one output against its target; the trainer averages it over a set. */
export type CostFunction = (target: number[], output: number[]) => number;

/** 1.x's cross-entropy (eq. 9 of Monner's paper), with 1.x's 1e-15 nudges away from log(0). */
function CROSS_ENTROPY(target: number[], output: number[]): number {
  let sum = 0;
  for (let i = 0; i < output.length; i++) {
    sum -= target[i] * Math.log(output[i] + 1e-15) + (1 - target[i]) * Math.log(1 + 1e-15 - output[i]);
  }
  return sum;
}

/** Mean squared error over the outputs. */
function MSE(target: number[], output: number[]): number {
  let sum = 0;
  for (let i = 0; i < output.length; i++) sum += (target[i] - output[i]) ** 2;
  return sum / output.length;
}

/** How many outputs land on the wrong side when rounded to halves (1.x's definition). */
function BINARY(target: number[], output: number[]): number {
  let misses = 0;
  for (let i = 0; i < output.length; i++) if (Math.round(target[i] * 2) !== Math.round(output[i] * 2)) misses++;
  return misses;
}

export const cost = Object.freeze({ CROSS_ENTROPY, MSE, BINARY });
export type CostName = keyof typeof cost;

/** The name of a built-in cost function, so it can be sent to a worker by name. */
export function builtInCostName(fn: CostFunction): CostName | null {
  for (const name of Object.keys(cost) as CostName[]) if (cost[name] === fn) return name;
  return null;
}
