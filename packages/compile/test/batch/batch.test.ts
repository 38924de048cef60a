import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cost, Layer, Network, Neuron, SynapticError } from '@synaptic/core';
import { BatchUnsupportedError, compileBatch, optimize } from '@synaptic/compile';
import { gradients, layered, oneByOne, samples, worst } from './support.js';

const squashes = [Neuron.squash.LOGISTIC, Neuron.squash.TANH, Neuron.squash.IDENTITY, Neuron.squash.RELU];

const recipe = fc.record({
  sizes: fc.array(fc.integer({ min: 1, max: 13 }), { minLength: 2, maxLength: 4 }),
  squash: fc.constantFrom(...squashes),
  softmax: fc.boolean(),
  seed: fc.integer(),
});

describe('compileBatch at f64', () => {
  for (const backend of ['js', 'wasm'] as const) {
    it(`${backend}: B samples at once equal B single-sample activate + backward runs within 1e-12`, () => {
      fc.assert(
        fc.property(
          recipe,
          fc.integer({ min: 1, max: 19 }),
          fc.integer({ min: 0, max: 3 }),
          fc.constantFrom(cost.MSE, cost.CROSS_ENTROPY),
          (r, batchSize, short, costFn) => {
            const reference = layered(r);
            const net = reference.clone();
            const count = Math.max(1, batchSize - short);
            const { inputs, targets } = samples(reference, count, r.seed, r.softmax);
            // cross-entropy needs outputs in (0, 1)
            const fn = r.softmax || r.squash === Neuron.squash.LOGISTIC ? costFn : cost.MSE;
            const expected = oneByOne(reference, inputs, targets, fn);
            const batch = compileBatch(net, { batchSize, backend });
            expect(batch.backend).toBe(backend);
            const outputs = batch.forward(inputs);
            expect(worst(expected.outputs, outputs)).toBeLessThanOrEqual(1e-12);
            const error = batch.backward(targets, { cost: fn });
            expect(Math.abs(error - expected.error)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected.error)));
            expect(worst(gradients(reference), gradients(net))).toBeLessThanOrEqual(1e-12);
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  for (const precision of ['f64', 'f32'] as const) {
    it(`${precision}: a softmax hidden layer and MSE through a softmax output (core's kernels, row by row)`, () => {
      const reference = layered({ sizes: [5, 6, 4, 3], squash: Neuron.squash.TANH, softmax: true, seed: 21 });
      reference.layers.hidden[0].set({ squash: Neuron.squash.SOFTMAX });
      const net = reference.clone();
      const { inputs, targets } = samples(reference, 9, 21, false);
      const expected = oneByOne(reference, inputs, targets, cost.MSE);
      const batch = compileBatch(net, { batchSize: 9, precision });
      const tolerance = precision === 'f64' ? 1e-12 : 1e-5;
      expect(worst(expected.outputs, batch.forward(inputs))).toBeLessThanOrEqual(tolerance);
      batch.backward(targets, { cost: cost.MSE });
      expect(worst(gradients(reference), gradients(net))).toBeLessThanOrEqual(tolerance);
      expect(gradients(net).some((g) => g !== 0)).toBe(true);
    });
  }

  it('adds to the gradients already there, twice as much after two runs, and leaves the weights alone', () => {
    const net = layered({ sizes: [5, 7, 3], squash: Neuron.squash.TANH, softmax: true, seed: 3 });
    const { inputs, targets } = samples(net, 6, 9, true);
    const weights = net.parameters().map((p) => Float64Array.from(p.value));
    const batch = compileBatch(net, { batchSize: 8 });
    batch.forward(inputs);
    batch.backward(targets, { cost: cost.CROSS_ENTROPY });
    const once = gradients(net);
    batch.forward(inputs);
    batch.backward(targets, { cost: cost.CROSS_ENTROPY });
    const twice = gradients(net);
    expect(
      worst(
        once.map((g) => 2 * g),
        twice,
      ),
    ).toBeLessThanOrEqual(1e-15);
    expect(once.some((g) => g !== 0)).toBe(true);
    net.parameters().forEach((p, k) => expect(p.value).toEqual(weights[k]));
  });

  for (const [backend, precision] of [
    ['js', 'f64'],
    ['wasm', 'f64'],
    ['js', 'f32'],
    ['wasm', 'f32'],
  ] as const) {
    it(`${backend} ${precision}: accumulate false replaces the gradients, bit for bit what zeroing them first gives, fixed entries left alone`, () => {
      const reference = layered({ sizes: [9, 7, 3], squash: Neuron.squash.LOGISTIC, softmax: false, seed: 12 });
      reference.layers.hidden[0].list[2].inputConnections()[4].fixed = true;
      reference.layers.output!.list[1].biasFixed = true;
      const net = reference.clone();
      const { inputs, targets } = samples(reference, 6, 4, false);
      const zeroed = compileBatch(reference, { batchSize: 6, backend, precision });
      const replacing = compileBatch(net, { batchSize: 6, backend, precision });
      // some gradient already there, as a last batch would leave it
      for (const p of net.parameters()) p.gradient.fill(0.25);
      zeroed.forward(inputs);
      const e1 = zeroed.backward(targets);
      replacing.forward(inputs);
      const e2 = replacing.backward(targets, { accumulate: false });
      expect(e2).toBe(e1);
      const fixedEntries: number[] = [];
      net.parameters().forEach((p) => p.fixed?.forEach((f, k) => f === 1 && fixedEntries.push(k)));
      expect(fixedEntries.length).toBe(2);
      net.parameters().forEach((p, i) => {
        const q = reference.parameters()[i];
        p.gradient.forEach((g, k) => expect(g).toBe(p.fixed?.[k] === 1 ? 0.25 : q.gradient[k]));
      });
      expect(() => replacing.backward(targets, { accumulate: 'no' as unknown as boolean })).toThrow(/accumulate/);
    });
  }

  it('leaves fixed weights and biases at the gradient they had', () => {
    const reference = layered({ sizes: [4, 6, 2], squash: Neuron.squash.LOGISTIC, softmax: false, seed: 5 });
    const hidden = reference.layers.hidden[0];
    hidden.list[1].biasFixed = true;
    const connection = hidden.list[2].inputConnections()[3];
    connection.fixed = true;
    const net = reference.clone();
    const { inputs, targets } = samples(reference, 5, 2, false);
    oneByOne(reference, inputs, targets, cost.MSE);
    const batch = compileBatch(net, { batchSize: 5 });
    batch.forward(inputs);
    batch.backward(targets);
    expect(worst(gradients(reference), gradients(net))).toBeLessThanOrEqual(1e-12);
  });

  it('follows weight changes and rebuilds after a change of structure', () => {
    const net = layered({ sizes: [3, 4, 2], squash: Neuron.squash.LOGISTIC, softmax: false, seed: 1 });
    const batch = compileBatch(net, { batchSize: 4 });
    const { inputs } = samples(net, 2, 1, false);
    batch.forward(inputs);
    net.parameters()[1].value[0] += 0.5;
    const moved = Array.from(batch.forward(inputs));
    expect(moved.slice(0, 2)).toEqual(net.activate(inputs.subarray(0, 3)).map((v) => expect.closeTo(v, 12)));
    net.layers.output!.set({ squash: Neuron.squash.SOFTMAX });
    const soft = batch.forward(inputs);
    expect(soft[0] + soft[1]).toBeCloseTo(1, 12);
  });

  it('keeps the network whole: its weights move into the batch (same values), and two batches or optimize() on one network stay right', () => {
    const reference = layered({ sizes: [7, 6, 3], squash: Neuron.squash.LOGISTIC, softmax: true, seed: 8 });
    // exact compile: the comparisons below are bit for bit
    const net = optimize(reference.clone(), { exact: true });
    const { inputs, targets } = samples(reference, 6, 8, true);
    const first = compileBatch(net, { batchSize: 6 });
    const second = compileBatch(net, { batchSize: 6, precision: 'f32' });
    // the network (compiled executor included) reads the arrays the batches gave it
    expect(Array.from(net.activate(inputs.subarray(0, 7)))).toEqual(reference.activate(inputs.subarray(0, 7)));
    expect(JSON.stringify(net.toJSON())).toBe(JSON.stringify(reference.toJSON()));
    const expected = oneByOne(reference, inputs, targets, cost.CROSS_ENTROPY);
    // the first batch no longer owns the arrays: it copies, and is still exact
    expect(worst(expected.outputs, first.forward(inputs))).toBeLessThanOrEqual(1e-12);
    first.backward(targets, { cost: cost.CROSS_ENTROPY });
    expect(worst(gradients(reference), gradients(net))).toBeLessThanOrEqual(1e-12);
    net.zeroGradients();
    second.forward(inputs);
    second.backward(targets, { cost: cost.CROSS_ENTROPY });
    expect(worst(gradients(reference), gradients(net))).toBeLessThanOrEqual(1e-4);
  });

  it('tied projections (one weight array, gradients summed) stay tied and give the single-sample gradients', () => {
    const layers = [new Layer(4), new Layer(4), new Layer(4)];
    const first = layers[0].project(layers[1]);
    const second = layers[1].project(layers[2]);
    second.tie(first);
    const reference = new Network({ input: layers[0], hidden: [layers[1]], output: layers[2] });
    const net = reference.clone();
    const { inputs, targets } = samples(reference, 5, 3, false);
    oneByOne(reference, inputs, targets, cost.MSE);
    for (const precision of ['f64', 'f32'] as const) {
      net.zeroGradients();
      const batch = compileBatch(net, { batchSize: 5, precision });
      batch.forward(inputs);
      batch.backward(targets);
      expect(worst(gradients(reference), gradients(net))).toBeLessThanOrEqual(precision === 'f64' ? 1e-12 : 1e-5);
      const [a, b] = [net.layers.hidden[0].list[0].inputs[0].block, net.layers.output!.list[0].inputs[0].block];
      expect(a.weight).toBe(b.weight);
    }
  });

  for (const backend of ['wasm', 'js'] as const) {
    for (const precision of ['f64', 'f32'] as const) {
      it(`${backend} ${precision}: a value that is not finite is named by input and sample, the first one found`, () => {
        const net = layered({ sizes: [3, 2], squash: Neuron.squash.LOGISTIC, softmax: false, seed: 1 });
        const batch = compileBatch(net, { batchSize: 4, precision, backend });
        const x = Float64Array.from({ length: 12 }, (_, k) => k / 12);
        x[2 * 3 + 1] = Number.POSITIVE_INFINITY;
        x[3 * 3 + 2] = Number.NaN;
        expect(() => batch.forward(x)).toThrow(/input 1 of sample 2/);
        x[2 * 3 + 1] = 0.5;
        expect(() => batch.forward(x)).toThrow(/input 2 of sample 3/);
        x[3 * 3 + 2] = 0.5;
        expect(batch.forward(x).every(Number.isFinite)).toBe(true);
      });
    }
  }

  it('refuses networks that are not layered, and bad arguments, with SynapticErrors', () => {
    const a = new Layer(2);
    const b = new Layer(3);
    const c = new Layer(1);
    a.project(b);
    b.project(c);
    a.project(c);
    expect(() => compileBatch(new Network({ input: a, hidden: [b], output: c }), { batchSize: 2 })).toThrow(
      BatchUnsupportedError,
    );
    const x = new Layer(2);
    const y = new Layer(2);
    x.project(y);
    y.project(y);
    expect(() => compileBatch(new Network({ input: x, output: y }), { batchSize: 2 })).toThrow(
      /self-connection|ALL_TO_ALL|other than/,
    );
    const g1 = new Layer(2);
    const g2 = new Layer(2);
    const g3 = new Layer(2);
    const link = g1.project(g3);
    g1.project(g2);
    g2.gate(link, 'INPUT');
    expect(() => compileBatch(new Network({ input: g1, hidden: [g2], output: g3 }), { batchSize: 2 })).toThrow(/gate/);

    const net = layered({ sizes: [3, 2], squash: Neuron.squash.LOGISTIC, softmax: false, seed: 1 });
    expect(() => compileBatch(net, { batchSize: 0 })).toThrow(SynapticError);
    expect(() => compileBatch(net, { batchSize: 2, precision: 'f16' as 'f32' })).toThrow(/precision/);
    const batch = compileBatch(net, { batchSize: 2 });
    expect(() => batch.backward([0, 0])).toThrow(/forward/);
    expect(() => batch.forward([1, 2])).toThrow(SynapticError);
    expect(() => batch.forward(new Float64Array(9))).toThrow(SynapticError);
    expect(() => batch.forward([1, 2, Number.NaN])).toThrow(/finite/);
    expect(() => compileBatch(net, { batchSize: 1, precision: 'f32' }).forward([1e300, 0, 0])).toThrow(/float32/);
    batch.forward([1, 2, 3]);
    expect(() => batch.backward([0, 0, 0, 0])).toThrow(SynapticError);
    expect(() => batch.backward([0, Number.POSITIVE_INFINITY])).toThrow(/finite/);
    expect(() => batch.backward([0, 0], { cost: cost.BINARY })).toThrow(/gradient/);
  });
});
