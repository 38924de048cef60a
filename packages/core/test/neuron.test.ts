import { describe, expect, it } from 'vitest';
import {
  type Connection,
  GateError,
  InvalidArgumentError,
  InvalidValueError,
  Neuron,
  setRandom,
  mulberry32,
} from '@synaptic/core';

describe('Neuron', () => {
  it('learns to answer 0 to 1 (the neuron tutorial, seed 001)', () => {
    setRandom(mulberry32(1));
    const A = new Neuron();
    const B = new Neuron();
    A.project(B);
    const learningRate = 0.3;
    for (let i = 0; i < 20000; i++) {
      A.activate(1);
      B.activate();
      B.propagate(learningRate, 0);
    }
    A.activate(1);
    expect(B.activate()).toBeLessThan(0.02);
    setRandom();
  });

  it('computes eq. 15-16 by hand', () => {
    const a = new Neuron();
    const b = new Neuron();
    const c = a.project(b, 0.5);
    b.bias = 0.25;
    a.activate(2);
    const y = b.activate();
    expect(b.state).toBe(0.25 + 2 * 0.5);
    expect(y).toBeCloseTo(1 / (1 + Math.exp(-1.25)), 15);
    expect(b.derivative).toBeCloseTo(y * (1 - y), 15);
    expect(c.weight).toBe(0.5);
    expect(c.from).toBe(a);
    expect(c.to).toBe(b);
    // an output unit's error is t - y (eq. 10) and moves the weight by rate * δ * ε
    b.propagate(0.1, 1);
    expect(b.error.responsibility).toBeCloseTo(1 - y, 15);
    expect(c.weight).toBeCloseTo(0.5 + 0.1 * (1 - y) * 2, 15);
  });

  it('projecting twice returns the same connection and can set its weight', () => {
    const a = new Neuron();
    const b = new Neuron();
    const c1 = a.project(b);
    const c2 = a.project(b, 0.3);
    expect(c2.ID).toBe(c1.ID);
    expect(c1.weight).toBe(0.3);
    expect(Object.keys(b.connections.inputs)).toEqual([String(c1.ID)]);
  });

  it('self-connects with weight 1 and reports connections by kind', () => {
    const a = new Neuron();
    const b = new Neuron();
    const g = new Neuron();
    expect(a.selfconnected()).toBe(false);
    const self = a.project(a);
    expect(self.weight).toBe(1);
    expect(a.selfconnected()).toBe(true);
    expect(a.connected(a)).toMatchObject({ type: 'selfconnection' });
    const ab = a.project(b);
    expect(a.connected(b)).toMatchObject({ type: 'projected' });
    expect(b.connected(a)).toMatchObject({ type: 'inputs' });
    g.gate(ab);
    expect(ab.gater).toBe(g);
    expect(g.connected(b)).toMatchObject({ type: 'gated' });
    expect(g.connected(new Neuron())).toBe(false);
    expect(Object.keys(g.connections.gated)).toEqual([String(ab.ID)]);
  });

  it('gating sets the gain to the gater activation', () => {
    const a = new Neuron();
    const b = new Neuron();
    const g = new Neuron();
    const c = a.project(b, 1);
    g.gate(c);
    expect(c.gain).toBe(1);
    g.activate(0.25);
    // input units do not write gains: only activation through eq. 16 does
    expect(c.gain).toBe(1);
    const h = new Neuron();
    h.project(g, 1);
    h.activate(3);
    const y = g.activate();
    expect(c.gain).toBe(y);
  });

  it('clear forgets traces, reset re-randomises', () => {
    const a = new Neuron();
    const b = new Neuron();
    const c = a.project(b, 0.7);
    a.activate(1);
    b.activate();
    expect(b.trace.elegibility[c.ID]).toBe(1);
    b.clear();
    expect(b.trace.elegibility[c.ID]).toBe(0);
    expect(c.weight).toBe(0.7);
    b.reset();
    expect(c.weight).not.toBe(0.7);
    expect(Math.abs(c.weight)).toBeLessThanOrEqual(0.1);
    expect(b.activation).toBe(0);
  });

  it('rejects bad input and changes nothing', () => {
    const a = new Neuron();
    const b = new Neuron();
    a.project(b, 0.5);
    a.activate(1);
    expect(() => a.activate(NaN)).toThrow(InvalidValueError);
    expect(() => a.activate(Infinity)).toThrow(/finite number, got Infinity/);
    expect(() => a.activate('1' as unknown as number)).toThrow(InvalidValueError);
    expect(a.activation).toBe(1);
    expect(() => b.propagate(NaN, 1)).toThrow(/learning rate/);
    expect(() => b.propagate(0.1, NaN)).toThrow(/target/);
    expect(() => a.project({} as Neuron)).toThrow(InvalidArgumentError);
    expect(() => a.project(b, Infinity)).toThrow(InvalidValueError);
    expect(a.connected(b)).toMatchObject({ connection: { weight: 0.5 } });
    expect(() => a.gate({} as Connection)).toThrow(GateError);
    expect(() => (a.bias = NaN)).toThrow(InvalidValueError);
  });
});
