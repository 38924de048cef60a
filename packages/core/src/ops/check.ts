/**
 * What an op needs from the network it runs in: its target is not the input layer and activates
 * after every one of its sources (so its gradient is exact), and its target units are still
 * feed-forward (attach.ts refuses edits that would break that; this catches any left).
 */
import { OpError } from '../errors.js';
import type { Layer } from '../layer.js';
import { notFeedForward } from './attach.js';

function layerName(layers: readonly Layer[], l: number): string {
  if (l === 0) return 'the input layer';
  if (l === layers.length - 1) return 'the output layer';
  return `hidden layer ${l - 1}`;
}

/** Throws an `OpError` naming the first op of `layers` (input first) that cannot run there. */
export function checkOps(layers: readonly Layer[]): void {
  layers.forEach((layer, l) => {
    for (const op of layer.opsIn) {
      const where = `${op.kind} into ${layerName(layers, l)}`;
      if (l === 0) throw new OpError(`${where}: the input layer takes its activations from the input, not from an op`);
      op.sources.forEach((source, s) => {
        const at = layers.indexOf(source);
        if (at < 0) throw new OpError(`${where}: source ${s} is not a layer of this network`);
        if (at >= l)
          throw new OpError(
            `${where}: source ${s} (${layerName(layers, at)}) does not activate before its target; ops are feed-forward`,
          );
      });
      layer.list.forEach((unit, k) => {
        const why = notFeedForward(unit, k);
        if (why !== null)
          throw new OpError(`${where}: ${why}; the targets of layer-level projections are feed-forward`);
      });
    }
    for (const op of layer.opsOut) {
      if (!layers.includes(op.target))
        throw new OpError(`${op.kind} from ${layerName(layers, l)}: its target is not a layer of this network`);
    }
  });
}
