import { type Network, squash } from '@synaptic/core';

/**
 * The layer functions (SOFTMAX) of a layered network, by layer position, so that the worker of
 * `trainAsync` can put them back on the network it rebuilds: core's JSON does not carry them yet
 * (a softmax layer comes back from `Network.fromJSON` as logistic units).
 */
export type LayerFunctionList = { layer: number; name: 'SOFTMAX' }[];

interface LayeredLike {
  layers?: { input: unknown; hidden: unknown[]; output: unknown };
}

function layerList(network: unknown): ({ layerFunction?: { name?: string } | null } | null)[] {
  const layers = (network as LayeredLike).layers;
  if (!layers || !Array.isArray(layers.hidden)) return [];
  return [layers.input, ...layers.hidden, layers.output] as ({ layerFunction?: { name?: string } | null } | null)[];
}

export function layerFunctionsOf(network: unknown): LayerFunctionList {
  const out: LayerFunctionList = [];
  layerList(network).forEach((layer, i) => {
    if (layer?.layerFunction?.name === 'SOFTMAX') out.push({ layer: i, name: 'SOFTMAX' });
  });
  return out;
}

export function applyLayerFunctions(network: Network, list: LayerFunctionList): void {
  const layers = layerList(network) as unknown as ({ set(options: { squash: unknown }): void } | null)[];
  for (const { layer, name } of list) layers[layer]?.set({ squash: squash[name] });
}
