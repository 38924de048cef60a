/**
 * Names for the hidden layers of a saved model, read from its wiring (1.x JSON records only a
 * layer's index). An LSTM block (Hochreiter & Schmidhuber 1997; 1.x's Architect.LSTM after
 * Monner & Reggia 2012) shows in the connections:
 * - the memory cell: the layer whose self-connections are gated by another hidden layer,
 * - the forget gate: the layer gating those self-connections,
 * - the input gate: the layer gating connections into the memory cell,
 * - the output gate: the layer gating connections out of the memory cell.
 * Layers that play no such part keep the name `hidden K`.
 */

interface RolesJSON {
  neurons: ReadonlyArray<{ layer: 'input' | 'output' | number | string }>;
  connections: ReadonlyArray<{ from: number; to: number; gater?: number | null }>;
}

/** The name of hidden layer K (0-based, as in the JSON), for the layers an LSTM block explains. */
export function hiddenLayerRoles(
  file: RolesJSON | { units: RolesJSON['neurons']; connections: RolesJSON['connections'] },
): Map<number, string> {
  const json: RolesJSON = 'units' in file ? { neurons: file.units, connections: file.connections } : file;
  const layerOf = (unit: number): number | null => {
    const layer = json.neurons[unit]?.layer;
    return typeof layer === 'number' ? layer : null;
  };
  const cells: Array<{ cell: number; forget: number }> = [];
  const seen = new Set<number>();
  for (const c of json.connections) {
    if (c.from !== c.to || c.gater === null || c.gater === undefined) continue;
    const cell = layerOf(c.from);
    const forget = layerOf(c.gater);
    if (cell === null || forget === null || forget === cell || seen.has(cell)) continue;
    seen.add(cell);
    cells.push({ cell, forget });
  }
  const roles = new Map<number, string>();
  cells.forEach(({ cell, forget }, k) => {
    const suffix = cells.length > 1 ? ` ${k + 1}` : '';
    const gaterOf = (into: boolean): number | null => {
      for (const c of json.connections) {
        if (c.gater === null || c.gater === undefined || c.from === c.to) continue;
        const end = layerOf(into ? c.to : c.from);
        const other = layerOf(into ? c.from : c.to);
        const gater = layerOf(c.gater);
        if (end === cell && other !== cell && gater !== null && gater !== forget && gater !== cell) return gater;
      }
      return null;
    };
    const input = gaterOf(true);
    const output = gaterOf(false);
    roles.set(cell, `memory cell${suffix}`);
    roles.set(forget, `forget gate${suffix}`);
    if (input !== null) roles.set(input, `input gate${suffix}`);
    if (output !== null) roles.set(output, `output gate${suffix}`);
  });
  return roles;
}

/** Renames `hidden K` nodes of core's DOT source with their roles. */
export function nameHiddenLayers(dot: string, roles: Map<number, string>): string {
  return dot.replace(/\[label = "hidden (\d+) \((\d+)\)"\]/g, (whole, k: string, size: string) => {
    const role = roles.get(Number(k));
    return role === undefined ? whole : `[label = "${role} (${size})"]`;
  });
}
