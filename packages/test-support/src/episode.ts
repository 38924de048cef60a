/**
 * Finite-difference checks of gradients through time: the summed cost of an episode run from a
 * saved state, differentiated entry by entry of every parameter by central differences, against
 * what `network.bptt` added. Structural types, so any package's tests can use it.
 */

export interface Episode {
  inputs: number[][];
  targets: number[][];
}

interface ParameterLike {
  readonly name: string;
  readonly value: Float64Array;
  readonly gradient: Float64Array;
  readonly fixed: Uint8Array | null;
}

type Cost = (target: number[], output: number[]) => number;

export interface EpisodeNetwork {
  parameters(): ParameterLike[];
  zeroGradients(): void;
  checkpoint(): unknown;
  rollback(checkpoint: never): void;
  activate(input: ArrayLike<number>): number[];
  bptt(inputs: number[][], targets: number[][], options?: { cost?: never }): number;
  neurons(): Array<{ neuron: { state: number; activation: number } }>;
}

export interface BpttCheck {
  /** what bptt returned, and the summed cost of the same episode run with activate */
  total: number;
  reference: number;
  /** whether bptt left every unit's state and activation where the activate run left them */
  sameState: boolean;
  /** the largest relative difference |bptt − numeric| / max(1, |bptt|, |numeric|) over trained entries */
  worst: number;
  worstAt: string;
  /** fixed entries that received a gradient */
  fixedWithGradient: string[];
  entries: number;
}

/** The summed `measure` of running `episode` from `start` with the parameters as they are now. */
export function episodeCost(net: EpisodeNetwork, episode: Episode, measure: Cost): (start: unknown) => number {
  return (start) => {
    // the checkpoint puts states, gains and traces back; the (perturbed) parameters are kept
    const params = net.parameters();
    const values = params.map((p) => p.value.slice());
    net.rollback(start as never);
    params.forEach((p, k) => p.value.set(values[k]));
    let total = 0;
    for (let t = 0; t < episode.inputs.length; t++)
      total += measure(episode.targets[t], net.activate(episode.inputs[t]));
    return total;
  };
}

/**
 * Runs `bptt` on `episode` from the current state (with `cost`, measured by `measure`: the same
 * cost, or −Σ t ln y for a softmax output with cross-entropy) and central differences with step `h`.
 * The network is left in the state it started from.
 */
export function checkBpttAgainstDifferences(
  net: EpisodeNetwork,
  episode: Episode,
  cost: Cost,
  measure: Cost = cost,
  h = 1e-6,
): BpttCheck {
  const start = net.checkpoint();
  const run = episodeCost(net, episode, measure);
  const reference = run(start);
  const snapshot = () =>
    net
      .neurons()
      .map(({ neuron }) => `${neuron.state},${neuron.activation}`)
      .join(';');
  const after = snapshot();
  net.rollback(start as never);
  net.zeroGradients();
  const total = net.bptt(episode.inputs, episode.targets, { cost: cost as never });
  const sameState = snapshot() === after;
  const params = net.parameters();
  const analytic = params.map((p) => p.gradient.slice());
  let worst = 0;
  let worstAt = '';
  let entries = 0;
  const fixedWithGradient: string[] = [];
  params.forEach((p, t) => {
    for (let e = 0; e < p.value.length; e++) {
      if (p.fixed?.[e]) {
        if (analytic[t][e] !== 0) fixedWithGradient.push(`${p.name}[${e}]`);
        continue;
      }
      const v = p.value[e];
      p.value[e] = v + h;
      const up = run(start);
      p.value[e] = v - h;
      const down = run(start);
      p.value[e] = v;
      const numeric = (up - down) / (2 * h);
      const scale = Math.max(1, Math.abs(numeric), Math.abs(analytic[t][e]));
      const error = Math.abs(numeric - analytic[t][e]) / scale;
      entries++;
      if (error > worst || Number.isNaN(error)) {
        worst = Number.isNaN(error) ? Number.POSITIVE_INFINITY : error;
        worstAt = `${p.name}[${e}]: bptt ${analytic[t][e]} vs ${numeric}`;
      }
    }
  });
  net.rollback(start as never);
  return { total, reference, sameState, worst, worstAt, fixedWithGradient, entries };
}

/** A seeded episode of `steps` inputs in [−1, 1) and targets in [0.1, 0.9). */
export function randomEpisode(inputs: number, outputs: number, steps: number, seed: number): Episode {
  let s = seed >>> 0 || 1;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return {
    inputs: Array.from({ length: steps }, () => Array.from({ length: inputs }, () => 2 * next() - 1)),
    targets: Array.from({ length: steps }, () => Array.from({ length: outputs }, () => 0.1 + 0.8 * next())),
  };
}
