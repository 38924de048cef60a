/**
 * Each block kind's walks (kinds/) against a direct enumeration of its slots: every input segment
 * visits exactly the connections into its unit, in 1.x's order, and every output segment those out
 * of it; the slot ↔ unit maps agree with the walks.
 */
import { describe, expect, it } from 'vitest';
import { DENSE, DIAGONAL, LIST, Layer, Neuron, forEachInputSlot, forEachOutputSlot } from '@synaptic/core';
import type { Neuron as NeuronType } from '@synaptic/core';

function slotsIn(unit: NeuronType) {
  return unit.inputs.map((seg) => {
    const slots: number[] = [];
    forEachInputSlot(seg, (slot) => slots.push(slot));
    return { seg, slots };
  });
}

function slotsOut(unit: NeuronType) {
  return unit.outputs.map((seg) => {
    const slots: number[] = [];
    forEachOutputSlot(seg, (slot) => slots.push(slot));
    return { seg, slots };
  });
}

describe('block kinds: walks against their slots', () => {
  it('DENSE (ALL_TO_ALL): row t, slot t·n + s, source s; column s out', () => {
    const a = new Layer(3);
    const b = new Layer(4);
    a.project(b);
    b.list.forEach((unit, t) => {
      const [{ seg, slots }] = slotsIn(unit);
      expect(seg.block.kind).toBe(DENSE);
      expect(slots).toEqual([0, 1, 2].map((s) => t * 3 + s));
      expect(seg.block.inputCount(seg)).toBe(3);
      slots.forEach((slot, s) => {
        expect(seg.block.sourceOf(slot)).toBe(a.list[s]);
        expect(seg.block.targetOf(slot)).toBe(unit);
      });
    });
    a.list.forEach((unit, s) => {
      const [{ seg, slots }] = slotsOut(unit);
      expect(slots).toEqual([0, 1, 2, 3].map((t) => t * 3 + s));
      for (const slot of slots) expect(seg.block.sourceOf(slot)).toBe(unit);
    });
  });

  it('DENSE onto itself (ALL_TO_ELSE): the diagonal is skipped both ways', () => {
    const a = new Layer(4);
    a.project(a, Layer.connectionType.ALL_TO_ELSE);
    a.list.forEach((unit, t) => {
      const [{ seg, slots }] = slotsIn(unit);
      expect(slots).toEqual([0, 1, 2, 3].filter((s) => s !== t).map((s) => t * 4 + s));
      expect(seg.block.inputCount(seg)).toBe(3);
      const [out] = slotsOut(unit);
      expect(out.slots).toEqual([0, 1, 2, 3].filter((r) => r !== t).map((r) => r * 4 + t));
    });
  });

  it('DIAGONAL (ONE_TO_ONE): slot t, one connection each way', () => {
    const a = new Layer(3);
    const b = new Layer(3);
    a.project(b, Layer.connectionType.ONE_TO_ONE);
    b.list.forEach((unit, t) => {
      const [{ seg, slots }] = slotsIn(unit);
      expect(seg.block.kind).toBe(DIAGONAL);
      expect(slots).toEqual([t]);
      expect(seg.block.sourceOf(t)).toBe(a.list[t]);
      expect(slotsOut(a.list[t])[0].slots).toEqual([t]);
    });
  });

  it("LIST (neuron-level): a unit's run of slots, in the order they were made", () => {
    const from = [new Neuron(), new Neuron(), new Neuron()];
    const to = new Neuron();
    for (const n of from) n.project(to);
    const [{ seg, slots }] = slotsIn(to);
    expect(seg.block.kind).toBe(LIST);
    expect(slots).toEqual([0, 1, 2]);
    expect(seg.block.inputCount(seg)).toBe(3);
    slots.forEach((slot, k) => {
      expect(seg.block.sourceOf(slot)).toBe(from[k]);
      expect(slotsOut(from[k])[0].slots).toEqual([slot]);
    });
  });
});
