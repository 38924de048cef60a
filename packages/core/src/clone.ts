import { nextConnectionIds, nextNeuronIds } from './ids.js';
import { opsOf } from './ops/op.js';
import { Layer } from './layer.js';
import { rebuildOp } from './ops/registry.js';
import { LayerConnection } from './layer-connection.js';
import { Neuron } from './neuron.js';
import { Block, LIST, Segment, type GatedGroup } from './storage/block.js';
import { NeuronStore, OPTIONAL_STORE_FIELDS, STORE_FIELDS } from './storage/neuron-store.js';
import { segmentSize } from './wiring.js';

/**
 * Copies layers with everything that makes them compute: weights, biases, states, traces,
 * gains, gates, and each unit's order of inputs and outputs (so a copy computes the same
 * numbers as the original, bit for bit). Connections that leave the given layers are dropped,
 * as `toJSON` drops them.
 */
export function cloneLayers(layers: Layer[]): Layer[] {
  const units = layers.flatMap((layer) => layer.list);
  const map = new Map<Neuron, Neuron>();
  // new IDs keep the originals' relative order, which fixes the order gated units are visited in
  const rank = new Map(
    units
      .slice()
      .sort((a, b) => a.ID - b.ID)
      .map((n, r) => [n, r]),
  );
  const firstId = nextNeuronIds(units.length);
  const copies = layers.map((layer) => {
    const copy = new Layer(0);
    const store = new NeuronStore(layer.list.length);
    layer.list.forEach((n, k) => {
      const c = new Neuron(store, k, firstId + rank.get(n)!, n.store.bias[n.index]);
      // bias was given to the constructor
      for (const field of STORE_FIELDS) if (field !== 'bias') store[field][k] = n.store[field][n.index];
      for (const field of OPTIONAL_STORE_FIELDS) {
        const values = n.store[field];
        if (values === null) continue;
        store.ensureNorm();
        store[field]![k] = values[n.index];
      }
      store.squash[k] = n.store.squash[n.index];
      if (n.biasFixed) (store.biasFixed ??= new Uint8Array(store.size))[k] = 1;
      if (n.label !== undefined) c.label = n.label;
      map.set(n, c);
      copy.list.push(c);
    });
    copy.size = layer.list.length;
    if (layer.label !== undefined) copy.label = layer.label;
    copy.layerFunction = layer.layerFunction;
    copy.shape = layer.shape;
    copy.functionGroup = layer.functionGroup;
    return copy;
  });

  // blocks between copied units; a block that touches any other unit is left behind
  const blocks = new Map<Block, Block | null>();
  const slotMaps = new Map<Block, Int32Array>();
  const copyBlock = (block: Block): Block | null => {
    if (blocks.has(block)) return blocks.get(block)!;
    let copy: Block | null = null;
    if (block.kind === LIST) {
      const owner = map.get(block.to[0]);
      if (owner) {
        copy = Block.list();
        const slots = new Int32Array(block.length).fill(-1);
        for (let slot = 0; slot < block.length; slot++) {
          const from = map.get(block.from[slot]);
          if (!from) continue;
          const s = copy.push(from, owner, block.weight[slot], nextConnectionIds(1));
          copy.elig[s] = block.elig[slot];
          if (block.fixed?.[slot]) (copy.fixed ??= new Uint8Array(copy.weight.length))[s] = 1;
          slots[slot] = s;
        }
        slotMaps.set(block, slots);
        owner.looseIn = copy;
      }
    } else if (block.from.every((n) => map.has(n)) && block.to.every((n) => map.has(n))) {
      copy = new Block(
        block.kind,
        block.from.map((n) => map.get(n)!),
        block.to.map((n) => map.get(n)!),
        block.length,
        nextConnectionIds(block.length),
        {
          skipDiagonal: block.skipDiagonal,
          selfDiagonal: block.selfDiagonal,
        },
      );
      copy.weight.set(block.weight.subarray(0, block.length));
      copy.elig.set(block.elig.subarray(0, block.length));
      if (block.fixed) copy.fixed = block.fixed.slice(0, block.length);
    }
    blocks.set(block, copy);
    return copy;
  };
  const slotOf = (block: Block, slot: number) => (block.kind === LIST ? slotMaps.get(block)![slot] : slot);

  // inputs, remembering where each old input ordinal went (for the extended traces)
  const ordinals = new Map<Neuron, Int32Array>();
  for (const n of units) {
    const c = map.get(n)!;
    const moved = new Int32Array(n.inputCount).fill(-1);
    let oldOrdinal = 0;
    for (const seg of n.inputs) {
      const size = segmentSize(seg);
      const block = copyBlock(seg.block);
      if (block === null) {
        oldOrdinal += size;
        continue;
      }
      if (seg.block.kind !== LIST) {
        c.inputs.push(new Segment(block, seg.a, seg.b));
        for (let k = 0; k < size; k++) moved[oldOrdinal++] = c.inputCount++;
        continue;
      }
      for (let slot = seg.a; slot < seg.b; slot++, oldOrdinal++) {
        const s = slotOf(seg.block, slot);
        if (s < 0) continue;
        const last = c.inputs[c.inputs.length - 1];
        if (last !== undefined && last.block === block && last.b === s) last.b = s + 1;
        else c.inputs.push(new Segment(block, s, s + 1));
        moved[oldOrdinal] = c.inputCount++;
      }
    }
    ordinals.set(n, moved);
  }
  // tied blocks stay tied among the copies (a tie to a block left behind becomes a copy of its values)
  for (const [block, copy] of blocks) {
    const owner = block.tiedTo;
    const ownerCopy = owner === null ? null : blocks.get(owner);
    if (copy !== null && ownerCopy) copy.tieTo(ownerCopy);
  }
  for (const n of units) {
    const c = map.get(n)!;
    for (const seg of n.outputs) {
      const block = copyBlock(seg.block);
      if (block === null) continue;
      if (seg.block.kind !== LIST) {
        c.outputs.push(new Segment(block, seg.a, seg.b));
        continue;
      }
      const s = slotOf(seg.block, seg.a);
      if (s < 0) continue;
      c.outputs.push(new Segment(block, s, s + 1));
      (c.looseOut ??= new Map()).set(block.to[s], { block, slot: s });
    }
  }

  // gates: groups of copied gaters over copied units; gains and gaters of each copied slot
  for (const n of units) {
    const c = map.get(n)!;
    const moved = ordinals.get(n)!;
    if (n.selfGater && map.has(n.selfGater)) c.selfGater = map.get(n.selfGater)!;
    else if (n.selfGater) c.store.selfGain[c.index] = 1;
    for (const group of n.gatedGroups) {
      const k = map.get(group.neuron);
      if (!k) continue;
      const copy: GatedGroup = {
        neuron: k,
        blocks: [],
        slots: [],
        xtrace: new Float64Array(Math.max(1, c.inputCount)),
        influence: 0,
        decay: 0,
        delta: 0,
      };
      group.blocks.forEach((block, r) => {
        if (block === null) {
          copy.blocks.push(null);
          copy.slots.push(-1);
          return;
        }
        const b = copyBlock(block);
        const s = b === null ? -1 : slotOf(block, group.slots[r]);
        if (b === null || s < 0) return;
        const { gain, gater } = b.ensureGates();
        gater[s] = c;
        gain[s] = block.gain![group.slots[r]];
        copy.blocks.push(b);
        copy.slots.push(s);
      });
      if (copy.blocks.length === 0) continue;
      for (let o = 0; o < moved.length; o++) if (moved[o] >= 0) copy.xtrace[moved[o]] = group.xtrace[o];
      c.gatedGroups.push(copy);
    }
  }

  // layer projections, for DOT and for code that walks connectedTo
  const layerMap = new Map(layers.map((layer, l) => [layer, copies[l]]));
  layers.forEach((layer, l) => {
    for (const lc of layer.connectedTo) {
      const to = layerMap.get(lc.to);
      if (!to) continue;
      const block = lc.block ? copyBlock(lc.block) : null;
      if (lc.block && !block) continue;
      const copy = new LayerConnection(
        copies[l],
        to,
        lc.type,
        block,
        lc.selfUnits.map((n) => map.get(n)!).filter(Boolean),
        lc.size,
      );
      for (const g of lc.gatedfrom) {
        const gl = layerMap.get(g.layer);
        if (gl) copy.gatedfrom.push({ layer: gl, type: g.type });
      }
      copies[l].connectedTo.push(copy);
    }
  });
  // layer-level projections among the copies, in creation order (which keeps every sum's order)
  for (const op of opsOf(layers)) {
    const sources = op.sources.map((s) => layerMap.get(s));
    const target = layerMap.get(op.target);
    if (target === undefined || !sources.every((s) => s !== undefined)) continue;
    rebuildOp(op, sources as Layer[], target);
    // attaching fixed the target's own biases at 0: the original's values and flags hold
    op.target.list.forEach((n, k) => {
      const c = target.list[k];
      c.store.bias[c.index] = n.store.bias[n.index];
      c.store.biasFixed![c.index] = n.biasFixed ? 1 : 0;
    });
  }
  return copies;
}
