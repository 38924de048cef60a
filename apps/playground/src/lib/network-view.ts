import { diverging } from './heatmap.js';
import type { NetworkSnapshot } from './snapshot.js';

/** At most this many units of a layer are drawn (evenly spread); the label gives the real count. */
const MAX_DRAWN = 14;

function drawnUnits(units: number[]): number[] {
  if (units.length <= MAX_DRAWN) return units;
  const step = units.length / MAX_DRAWN;
  return Array.from({ length: MAX_DRAWN }, (_, i) => units[Math.floor(i * step)]);
}

/**
 * The network drawn: a column per layer, units shaded by their activation, connections red
 * (positive) or blue (negative) with opacity by weight, gated connections dashed, self-connections
 * as loops. Large layers show a sample of their units.
 */
export function drawNetwork(canvas: HTMLCanvasElement, snap: NetworkSnapshot): void {
  const width = canvas.width;
  const height = canvas.height;
  const context = canvas.getContext('2d')!;
  context.clearRect(0, 0, width, height);
  const where = new Map<number, { x: number; y: number }>();
  const columns = snap.layers.length;
  snap.layers.forEach((layer, column) => {
    const drawn = drawnUnits(layer.units);
    const x = ((column + 0.5) / columns) * width;
    drawn.forEach((unit, i) => where.set(unit, { x, y: 30 + ((i + 0.5) / drawn.length) * (height - 40) }));
    context.fillStyle = '#333';
    context.font = '11px sans-serif';
    context.textAlign = 'center';
    const name = columns > 4 ? layer.name.replace('hidden ', 'h') : layer.name;
    context.fillText(name, x, 10);
    if (layer.units.length > drawn.length) context.fillText(`${drawn.length} of ${layer.units.length}`, x, 22);
  });
  let max = 0;
  for (const c of snap.json.connections) max = Math.max(max, Math.abs(c.weight));
  const scale = max > 0 ? 1 / max : 0;
  for (const c of snap.json.connections) {
    const a = where.get(c.from);
    const b = where.get(c.to);
    if (!a || !b) continue;
    const [r, g, bl] = diverging(c.weight * scale);
    context.strokeStyle = `rgba(${r},${g},${bl},${0.15 + 0.85 * Math.abs(c.weight * scale)})`;
    context.setLineDash(c.gater === null ? [] : [3, 3]);
    context.beginPath();
    if (c.from === c.to) context.arc(a.x + 8, a.y - 8, 6, 0, 2 * Math.PI);
    else {
      context.moveTo(a.x, a.y);
      context.bezierCurveTo((a.x + b.x) / 2, a.y, (a.x + b.x) / 2, b.y, b.x, b.y);
    }
    context.stroke();
  }
  context.setLineDash([]);
  for (const [unit, p] of where) {
    const v = Math.round(255 * (1 - Math.max(0, Math.min(1, Math.abs(snap.activation[unit])))));
    context.fillStyle = `rgb(${v},${v},${v})`;
    context.strokeStyle = '#222';
    context.beginPath();
    context.arc(p.x, p.y, 5, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
  }
}
