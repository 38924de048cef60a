import { execFileSync } from 'node:child_process';
import { fromDot } from 'ts-graphviz';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  InvalidValueError,
  Layer,
  Network,
  SizeMismatchError,
  mulberry32,
  setRandom,
  type NetworkExecutor,
} from '@synaptic/core';

function xorNetwork(): Network {
  const inputLayer = new Layer(2);
  const hiddenLayer = new Layer(3);
  const outputLayer = new Layer(1);
  inputLayer.project(hiddenLayer);
  hiddenLayer.project(outputLayer);
  return new Network({ input: inputLayer, hidden: [hiddenLayer], output: outputLayer });
}

const XOR: Array<[number[], number[]]> = [
  [[0, 0], [0]],
  [[0, 1], [1]],
  [[1, 0], [1]],
  [[1, 1], [0]],
];

describe('Network', () => {
  it('learns XOR by activate/propagate (the tutorial of seed 002)', () => {
    setRandom(mulberry32(3));
    const myNetwork = xorNetwork();
    const learningRate = 0.3;
    for (let i = 0; i < 20000; i++) {
      for (const [input, target] of XOR) {
        myNetwork.activate(input);
        myNetwork.propagate(learningRate, target);
      }
    }
    for (const [input, [t]] of XOR) expect(Math.round(myNetwork.activate(input)[0])).toBe(t);
    setRandom();
  });

  it('supports 1.x prototype subclassing (seed 000), including the hand-built LSTM', () => {
    type Ctor = { new (...args: number[]): Network; prototype: Network };
    function Perceptron(this: Network, input: number, hidden: number, output: number) {
      const inputLayer = new Layer(input);
      const hiddenLayer = new Layer(hidden);
      const outputLayer = new Layer(output);
      inputLayer.project(hiddenLayer);
      hiddenLayer.project(outputLayer);
      this.set({ input: inputLayer, hidden: [hiddenLayer], output: outputLayer });
    }
    Perceptron.prototype = new Network();
    Perceptron.prototype.constructor = Perceptron;
    const p = new (Perceptron as unknown as Ctor)(2, 3, 1);
    expect(p).toBeInstanceOf(Network);
    expect(p.activate([0, 1])).toHaveLength(1);

    function LSTM(this: Network, input: number, blocks: number, output: number) {
      const inputLayer = new Layer(input);
      const inputGate = new Layer(blocks);
      const forgetGate = new Layer(blocks);
      const memoryCell = new Layer(blocks);
      const outputGate = new Layer(blocks);
      const outputLayer = new Layer(output);
      const inputConnection = inputLayer.project(memoryCell);
      inputLayer.project(inputGate);
      inputLayer.project(forgetGate);
      inputLayer.project(outputGate);
      const outputConnection = memoryCell.project(outputLayer);
      const self = memoryCell.project(memoryCell);
      memoryCell.project(inputGate);
      memoryCell.project(forgetGate);
      memoryCell.project(outputGate);
      inputGate.gate(inputConnection, Layer.gateType.INPUT);
      forgetGate.gate(self, Layer.gateType.ONE_TO_ONE);
      outputGate.gate(outputConnection, Layer.gateType.OUTPUT);
      inputLayer.project(outputLayer);
      this.set({ input: inputLayer, hidden: [inputGate, forgetGate, memoryCell, outputGate], output: outputLayer });
    }
    LSTM.prototype = new Network();
    LSTM.prototype.constructor = LSTM;
    const lstm = new (LSTM as unknown as Ctor)(2, 4, 1);
    const other = new (LSTM as unknown as Ctor)(3, 2, 2);
    // instances do not share state through the prototype
    expect(lstm.inputs()).toBe(2);
    expect(other.inputs()).toBe(3);
    const out = lstm.activate([1, 0]);
    lstm.propagate(0.1, [1]);
    expect(out[0]).toBeGreaterThan(0);
    expect(lstm.neurons()).toHaveLength(2 + 4 * 4 + 1);
  });

  it('lists neurons with their layers, and sizes', () => {
    const net = xorNetwork();
    expect(net.neurons().map((u) => u.layer)).toEqual(['input', 'input', 0, 0, 0, 'output']);
    expect(net.inputs()).toBe(2);
    expect(net.outputs()).toBe(1);
  });

  it('rejects bad inputs and targets and stays exactly as it was', () => {
    const net = xorNetwork();
    net.activate([1, 0]);
    const before = JSON.stringify(net.toJSON());
    expect(() => net.activate([1])).toThrow(SizeMismatchError);
    expect(() => net.activate([1, NaN])).toThrow(/network input\[1\] must be a finite number, got NaN/);
    expect(() => net.activate('ab' as never)).toThrow(InvalidArgumentError);
    expect(() => net.activate([1, '0' as never])).toThrow(InvalidValueError);
    expect(() => net.propagate(0.1, [1, 2])).toThrow(/network target must have 1 value, got 2/);
    expect(() => net.propagate(0.1, [Infinity])).toThrow(InvalidValueError);
    expect(() => net.propagate(NaN, [1])).toThrow(/learning rate/);
    expect(() => net.project(42 as never)).toThrow(InvalidArgumentError);
    expect(JSON.stringify(net.toJSON())).toBe(before);
    expect(() => new Network().activate([1])).toThrow(/no layers yet/);
    expect(() => new Network({ input: new Layer(1), output: {} as Layer })).toThrow(/output/);
  });

  it('accepts typed arrays as input', () => {
    const net = xorNetwork();
    expect(net.activate(new Float64Array([1, 0]))).toEqual(net.activate([1, 0]));
  });

  it('standalone() activates a frozen copy', () => {
    const net = xorNetwork();
    const run = net.standalone();
    const before = run([1, 0]);
    for (let i = 0; i < 100; i++) {
      net.activate([1, 0]);
      net.propagate(0.5, [0]);
    }
    expect(run([1, 0])).toEqual(before);
    expect(net.activate([1, 0])).not.toEqual(before);
  });

  it('writes DOT that Graphviz parses, with gating edges', () => {
    const input = new Layer(2);
    const cell = new Layer(3);
    const gate = new Layer(3);
    const output = new Layer(1);
    const ic = input.project(cell);
    input.project(gate);
    cell.project(output);
    cell.project(cell);
    gate.gate(ic, Layer.gateType.INPUT);
    const net = new Network({ input, hidden: [gate, cell], output });
    for (const edgeConnection of [false, true]) {
      const { code } = net.toDot(edgeConnection);
      const graph = fromDot(code);
      expect(graph.nodes.length).toBeGreaterThanOrEqual(4);
      expect(code).toContain(edgeConnection ? '0 -> fake0_2 [label = 6, arrowhead = none]' : '0 -> 2 [label = 6]');
      expect(code).toContain('2 -> 2 [label = 3]');
      expect(code).toMatch(/1 -> (2|fake0_2) \[color = blue\]/);
      if (edgeConnection) expect(code).toContain('fake0_2');
      try {
        execFileSync('dot', ['-Tsvg'], { input: code, stdio: ['pipe', 'pipe', 'pipe'] });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  });

  describe('the executor seam', () => {
    /** An executor that runs the interpreter on a clone, so we can see when it is used and synced. */
    function recordingExecutor(log: string[]) {
      return (network: Network): NetworkExecutor => {
        const layers = network.allLayers();
        return {
          epoch: network.structureVersion(),
          activate(input) {
            log.push('activate');
            layers[0].activate(input);
            for (const l of layers.slice(1, -1)) l.activate();
            return layers[layers.length - 1].activate();
          },
          propagate(rate, target) {
            log.push('propagate');
            layers[layers.length - 1].propagate(rate, target);
            for (const l of layers.slice(1, -1).reverse()) l.propagate(rate);
          },
          clear: () => log.push('clear'),
          sync: () => log.push('sync'),
          dispose: () => log.push('dispose'),
        };
      };
    }

    it('runs an attached executor, rebuilds it after structural changes, and detaches with setOptimize(false)', () => {
      const log: string[] = [];
      const net = xorNetwork();
      const reference = net.clone();
      net.useExecutor(recordingExecutor(log));
      expect(net.activate([1, 0])).toEqual(reference.activate([1, 0]));
      net.propagate(0.1, [1]);
      expect(log).toEqual(['activate', 'propagate']);
      net.toJSON();
      expect(log.at(-1)).toBe('sync');
      // a structural change invalidates the executor
      const first = net.executor();
      net.layers.hidden[0].project(net.layers.hidden[0]);
      expect(net.executor()).not.toBe(first);
      expect(log).toContain('dispose');
      net.setOptimize(false);
      expect(net.executor()).toBeNull();
      const count = log.length;
      net.activate([0, 0]);
      expect(log.length).toBe(count);
      net.setOptimize(true);
      net.activate([0, 0]);
      expect(log.at(-1)).toBe('activate');
    });

    it('validates before the executor sees anything', () => {
      const log: string[] = [];
      const net = xorNetwork();
      net.useExecutor(recordingExecutor(log));
      expect(() => net.activate([1])).toThrow(SizeMismatchError);
      expect(log).toEqual([]);
    });
  });

  it('worker() points to trainAsync', () => {
    expect(() => xorNetwork().worker()).toThrow(/trainAsync/);
  });
});
