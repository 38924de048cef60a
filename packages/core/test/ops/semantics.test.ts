import { describe, expect, it } from 'vitest';
import { Convolution, Layer, MaxPool, AveragePool, Network, Neuron, OpError } from '../../src/index.js';

/** A direct convolution computed here: (x, y, m) = b_m + Σ K[m][dy][dx][c] · in(x·s − p + dx, y·s − p + dy, c). */
function direct(
  input: number[],
  [W, H, C]: [number, number, number],
  kernel: number[],
  bias: number[],
  [kw, kh]: [number, number],
  stride: number,
  pad: number,
): number[] {
  const M = bias.length;
  const OW = Math.floor((W + 2 * pad - kw) / stride) + 1;
  const OH = Math.floor((H + 2 * pad - kh) / stride) + 1;
  const out: number[] = [];
  for (let y = 0; y < OH; y++)
    for (let x = 0; x < OW; x++)
      for (let m = 0; m < M; m++) {
        let s = bias[m];
        for (let dy = 0; dy < kh; dy++)
          for (let dx = 0; dx < kw; dx++)
            for (let c = 0; c < C; c++) {
              const ix = x * stride - pad + dx;
              const iy = y * stride - pad + dy;
              const v = ix < 0 || iy < 0 || ix >= W || iy >= H ? 0 : input[(iy * W + ix) * C + c];
              s += kernel[((m * kh + dy) * kw + dx) * C + c] * v;
            }
        out.push(s);
      }
  return out;
}

describe('ops: what they compute', () => {
  it('a hand-set kernel equals a direct convolution', () => {
    const input = Layer.shaped(5, 4, 2);
    const maps = Layer.shaped(
      ...Convolution.outputShape(input.shape!, { kernel: [3, 2], maps: 2, stride: 2, padding: 1 }),
    );
    expect(maps.shape).toEqual([3, 3, 2]);
    maps.set({ squash: Neuron.squash.IDENTITY });
    const conv = new Convolution(input, maps, { kernel: [3, 2], stride: 2, padding: 1 });
    const kernel = Array.from({ length: 24 }, (_, i) => ((i * 7) % 11) / 10 - 0.5);
    conv.tensor('kernel').value.set(kernel);
    conv.tensor('bias').value.set([0.25, -1]);
    const net = new Network({ input, output: maps });
    const x = Array.from({ length: 40 }, (_, i) => Math.sin(i));
    const y = net.activate(x);
    const expected = direct(x, [5, 4, 2], kernel, [0.25, -1], [3, 2], 2, 1);
    expect(y.length).toBe(expected.length);
    y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });

  it('9×9 kernels over 28×28 make 20×20 maps; 2×2 max pooling 10×10', () => {
    expect(Convolution.outputShape([28, 28, 1], { kernel: [9, 9], maps: 3 })).toEqual([20, 20, 3]);
    const maps = Layer.shaped(20, 20, 3);
    const pooled = Layer.shaped(10, 10, 3);
    expect(() => new MaxPool(maps, pooled, { size: [2, 2] })).not.toThrow();
  });

  it('max pooling takes each window’s maximum, and its error goes to the first arg-max', () => {
    const input = Layer.shaped(4, 2, 1);
    const hidden = Layer.shaped(4, 2, 1);
    hidden.set({ squash: Neuron.squash.IDENTITY, bias: 0 });
    input.project(hidden, Layer.connectionType.ONE_TO_ONE, 1);
    const pooled = Layer.shaped(2, 1, 1);
    pooled.set({ squash: Neuron.squash.IDENTITY });
    new MaxPool(hidden, pooled, { size: [2, 2] });
    const net = new Network({ input, hidden: [hidden], output: pooled });
    // windows: {1, 5 / 2, 5} and {0, 3 / -1, 3}: ties go to the first in row-major order
    expect(net.activate([1, 5, 0, 3, 2, 5, -1, 3])).toEqual([5, 3]);
    net.zeroGradients();
    net.backward(null, { outputGradient: [1, 10] });
    expect(hidden.list.map((u) => u.error.responsibility)).toEqual([0, -1, 0, -10, 0, 0, 0, 0]);
  });

  it('average pooling takes the mean', () => {
    const input = Layer.shaped(2, 2, 2);
    const pooled = Layer.shaped(1, 1, 2);
    pooled.set({ squash: Neuron.squash.IDENTITY });
    new AveragePool(input, pooled, { size: [2, 2] });
    const net = new Network({ input, output: pooled });
    expect(net.activate([1, 10, 2, 20, 3, 30, 4, 40])).toEqual([2.5, 25]);
  });

  it('propagate moves a kernel by rate · Σ δ y (1.x online rule)', () => {
    // input -> conv (IDENTITY) output: δ = t − y at the output, Δθ = rate Σ δ_k y_i
    const input = Layer.shaped(3, 3, 1);
    const maps = Layer.shaped(2, 2, 1);
    maps.set({ squash: Neuron.squash.IDENTITY });
    const conv = new Convolution(input, maps, { kernel: [2, 2] });
    const net = new Network({ input, output: maps });
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const y = net.activate(x);
    const t = [0, 1, 0, 1];
    const before = Array.from(conv.tensor('kernel').value);
    const bias = conv.tensor('bias').value[0];
    net.propagate(0.01, t);
    const delta = t.map((v, k) => v - y[k]);
    const at = (ox: number, oy: number, dx: number, dy: number) => x[(oy + dy) * 3 + ox + dx];
    for (let dy = 0; dy < 2; dy++)
      for (let dx = 0; dx < 2; dx++) {
        let sum = 0;
        for (let oy = 0; oy < 2; oy++) for (let ox = 0; ox < 2; ox++) sum += delta[oy * 2 + ox] * at(ox, oy, dx, dy);
        expect(conv.tensor('kernel').value[dy * 2 + dx]).toBeCloseTo(before[dy * 2 + dx] + 0.01 * sum, 14);
      }
    expect(conv.tensor('bias').value[0]).toBeCloseTo(bias + 0.01 * delta.reduce((a, b) => a + b), 14);
  });
});

describe('ops: refused structures', () => {
  const pair = () => {
    const input = Layer.shaped(4, 4, 1);
    const maps = Layer.shaped(3, 3, 2);
    return { input, maps };
  };

  it('shapes that do not fit', () => {
    const { input, maps } = pair();
    expect(() => new Convolution(input, maps, { kernel: [3, 3] })).toThrow(OpError);
    expect(() => new Convolution(input, maps, { kernel: [3, 3] })).toThrow(/makes 2×2 maps; the target is 3×3×2/);
    expect(() => Convolution.outputShape([4, 4, 1], { kernel: [5, 5], maps: 1 })).toThrow(/larger than the 4×4 field/);
    expect(() => Convolution.outputShape([4, 4, 1], { kernel: [2, 2], maps: 0 })).toThrow(OpError);
    expect(() => new Convolution(new Layer(16), maps, { kernel: [2, 2] })).toThrow(/no shape/);
    expect(input.opsOut.length).toBe(0);
  });

  it('self-connections, lateral links and gates on op targets', () => {
    const { input, maps } = pair();
    new Convolution(input, maps, { kernel: [2, 2] });
    expect(() => maps.project(maps)).toThrow(OpError);
    expect(() => maps.list[0].project(maps.list[0])).toThrow(OpError);
    expect(() => maps.list[0].project(maps.list[1])).toThrow(OpError);
    const other = new Layer(16);
    const projection = other.project(maps);
    const gaters = new Layer(18);
    expect(() => gaters.gate(projection, Layer.gateType.INPUT)).toThrow(OpError);
    expect(projection.gatedfrom.length).toBe(0);
    expect(maps.list.every((u) => !u.selfconnected())).toBe(true);
    const selfy = Layer.shaped(3, 3, 2);
    selfy.project(selfy);
    expect(() => new Convolution(input, selfy, { kernel: [2, 2] })).toThrow(/self-connection/);
  });

  it('an op whose source does not activate before its target', () => {
    const { input, maps } = pair();
    const later = Layer.shaped(2, 2, 2);
    new Convolution(maps, later, { kernel: [2, 2] });
    input.project(maps);
    const net = new Network({ input, hidden: [later], output: maps });
    expect(() => net.activate(new Array(16).fill(0))).toThrow(/does not activate before its target/);
  });
});
