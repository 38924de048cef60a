import { Perceptron } from '@synaptic/architect';
import { mulberry32, type Network, setRandom } from '@synaptic/core';
import { cost, type TrainingSample } from '@synaptic/trainer';
import { runPage } from '../lib/page.js';
import { seeded } from '../lib/random.js';
import { int, number } from '../lib/url-state.js';

const WIDTH = 520;
const HEIGHT = 360;
const RADIUS = 60;
const SPEED = 2;

/** Inputs in [-1, 1] -> [0, 1], and back. */
const up = (v: number) => 0.5 + 0.5 * Math.max(-1, Math.min(1, v));
const down = (v: number) => 2 * v - 1;

/**
 * The steering rule the creatures' network learns (Reynolds' boids): towards the neighbours'
 * centre (cohesion), along their heading (alignment), away from the nearest (separation). Its
 * six inputs and two outputs are in [-1, 1].
 */
function steer(features: number[], weights: { cohesion: number; alignment: number; separation: number }): number[] {
  const [cx, cy, ax, ay, sx, sy] = features;
  const { cohesion, alignment, separation } = weights;
  return [
    Math.tanh(cohesion * cx + alignment * ax + separation * sx),
    Math.tanh(cohesion * cy + alignment * ay + separation * sy),
  ];
}

interface Creature {
  x: number;
  y: number;
  vx: number;
  vy: number;
}

/** What a creature sees of the others within RADIUS, as the rule's six inputs. */
function features(me: Creature, all: Creature[]): number[] {
  let n = 0;
  let cx = 0;
  let cy = 0;
  let vx = 0;
  let vy = 0;
  let sx = 0;
  let sy = 0;
  for (const other of all) {
    if (other === me) continue;
    let dx = other.x - me.x;
    let dy = other.y - me.y;
    dx -= WIDTH * Math.round(dx / WIDTH);
    dy -= HEIGHT * Math.round(dy / HEIGHT);
    const d = Math.hypot(dx, dy);
    if (d > RADIUS || d === 0) continue;
    n++;
    cx += dx;
    cy += dy;
    vx += other.vx;
    vy += other.vy;
    if (d < RADIUS / 3) {
      sx -= dx / d;
      sy -= dy / d;
    }
  }
  if (n === 0) return [0, 0, 0, 0, 0, 0];
  return [cx / n / RADIUS, cy / n / RADIUS, (vx / n - me.vx) / SPEED, (vy / n - me.vy) / SPEED, sx / 3, sy / 3];
}

function animate(canvas: HTMLCanvasElement, network: Network, count: number, seed: number): () => void {
  const random = seeded(seed);
  const flock: Creature[] = Array.from({ length: count }, () => {
    const angle = random() * 2 * Math.PI;
    return { x: random() * WIDTH, y: random() * HEIGHT, vx: SPEED * Math.cos(angle), vy: SPEED * Math.sin(angle) };
  });
  const context = canvas.getContext('2d')!;
  let frame = 0;
  const step = () => {
    const pushes = flock.map((c) => network.activate(features(c, flock).map(up)).map(down));
    flock.forEach((c, i) => {
      c.vx += 0.25 * pushes[i][0];
      c.vy += 0.25 * pushes[i][1];
      const speed = Math.hypot(c.vx, c.vy) || 1;
      c.vx = (c.vx / speed) * SPEED;
      c.vy = (c.vy / speed) * SPEED;
      c.x = (c.x + c.vx + WIDTH) % WIDTH;
      c.y = (c.y + c.vy + HEIGHT) % HEIGHT;
    });
    context.fillStyle = 'rgba(16, 24, 40, 0.35)';
    context.fillRect(0, 0, WIDTH, HEIGHT);
    for (const c of flock) {
      const a = Math.atan2(c.vy, c.vx);
      context.fillStyle = '#ffd43b';
      context.beginPath();
      context.moveTo(c.x + 8 * Math.cos(a), c.y + 8 * Math.sin(a));
      context.lineTo(c.x + 4 * Math.cos(a + 2.5), c.y + 4 * Math.sin(a + 2.5));
      context.lineTo(c.x + 4 * Math.cos(a - 2.5), c.y + 4 * Math.sin(a - 2.5));
      context.fill();
    }
    frame = requestAnimationFrame(step);
  };
  frame = requestAnimationFrame(step);
  return () => cancelAnimationFrame(frame);
}

let stop: (() => void) | null = null;

runPage({
  id: 'index',
  title: 'Flocking creatures',
  intro:
    'Each creature steers with the same small network. It starts knowing nothing, and learns in a Web Worker the three rules of a flock: keep close to your neighbours, go their way, do not bump into them. Watch them gather as the loss falls. The other demos are in the bar above.',
  settings: {
    creatures: int('creatures', 60, 2, 200),
    hidden: int('hidden units', 8, 1, 32),
    cohesion: number('cohesion', 1.5, 0, 5),
    alignment: number('alignment', 1, 0, 5),
    separation: number('separation', 2, 0, 5),
    rate: number('learning rate', 0.1, 0.001, 2),
    seed: int('seed', 1, 0, 1_000_000),
  },
  autoStart: true,
  build(values, view) {
    stop?.();
    setRandom(mulberry32(values.seed));
    const network = new Perceptron(6, values.hidden, 2);
    const random = seeded(values.seed + 3);
    const situation = (): TrainingSample => {
      const input = Array.from({ length: 6 }, () => 2 * random() - 1);
      return { input: input.map(up), output: steer(input, values).map(up) };
    };
    const train = Array.from({ length: 500 }, situation);
    const validation = Array.from({ length: 100 }, situation);
    const canvas = document.createElement('canvas');
    canvas.width = WIDTH;
    canvas.height = HEIGHT;
    canvas.id = 'flock';
    canvas.style.imageRendering = 'auto';
    view.append(canvas);
    stop = animate(canvas, network, values.creatures, values.seed);
    return {
      job: {
        network,
        train,
        validation,
        rate: values.rate,
        cost: cost.MSE,
        shuffle: true,
        seed: values.seed,
        chunk: 10,
        iterations: 1500,
      },
      render() {},
      probe: () => train[0].input,
    };
  },
});
