import { Perceptron } from '@synaptic/architect';
import { mulberry32, setRandom } from '@synaptic/core';
import { cost, type TrainingSample } from '@synaptic/trainer';
import { drawGray, figureCanvas, fitCanvas } from '../lib/draw.js';
import { runPage } from '../lib/page.js';
import { grayscale, picture } from '../lib/picture.js';
import { choice, int, number } from '../lib/url-state.js';

const SIZE = 40;

/** 3x3 kernels and the offset that brings their output into [0, 1]. */
const FILTERS: Record<string, { kernel: number[]; offset: number }> = {
  blur: { kernel: [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16), offset: 0 },
  sharpen: { kernel: [0, -1, 0, -1, 5, -1, 0, -1, 0], offset: 0 },
  edges: { kernel: [-1, -1, -1, -1, 8, -1, -1, -1, -1], offset: 0.5 },
  emboss: { kernel: [-2, -1, 0, -1, 1, 1, 0, 1, 2], offset: 0 },
};

function patch(image: Float64Array, i: number, j: number): number[] {
  const out: number[] = [];
  for (let dj = -1; dj <= 1; dj++) for (let di = -1; di <= 1; di++) out.push(image[(j + dj) * SIZE + (i + di)]);
  return out;
}

runPage({
  id: 'filters',
  title: 'Learn Image Filters',
  intro:
    'A perceptron sees each pixel with its eight neighbours and learns what a filter makes of them. One pixel in five is held out for validation; the third image is the network applying what it learned to every pixel.',
  settings: {
    filter: choice('filter', 'edges', Object.keys(FILTERS)),
    hidden: int('hidden units', 6, 1, 32),
    rate: number('learning rate', 0.1, 0.001, 2),
    seed: int('seed', 1, 0, 1_000_000),
  },
  autoStart: true,
  build(values, view) {
    setRandom(mulberry32(values.seed));
    const network = new Perceptron(9, values.hidden, 1);
    const image = grayscale(picture(SIZE, SIZE));
    const { kernel, offset } = FILTERS[values.filter];
    const target = new Float64Array(SIZE * SIZE);
    const train: TrainingSample[] = [];
    const validation: TrainingSample[] = [];
    for (let j = 1; j < SIZE - 1; j++) {
      for (let i = 1; i < SIZE - 1; i++) {
        const input = patch(image, i, j);
        const v = Math.max(0, Math.min(1, offset + input.reduce((s, x, k) => s + x * kernel[k], 0)));
        target[j * SIZE + i] = v;
        ((i + j * 3) % 5 === 0 ? validation : train).push({ input, output: [v] });
      }
    }
    const original = figureCanvas(view, 'original', 6);
    const filtered = figureCanvas(view, `${values.filter} (the target)`, 6);
    const learned = figureCanvas(view, 'the network’s output', 6);
    // the border has no full neighbourhood: the images show the inside
    const inside = (pixels: Float64Array) => {
      const out = new Float64Array((SIZE - 2) * (SIZE - 2));
      for (let j = 1; j < SIZE - 1; j++)
        out.set(pixels.subarray(j * SIZE + 1, j * SIZE + SIZE - 1), (j - 1) * (SIZE - 2));
      return out;
    };
    drawGray(original, inside(image), SIZE - 2, SIZE - 2);
    drawGray(filtered, inside(target), SIZE - 2, SIZE - 2);
    fitCanvas(original);
    fitCanvas(filtered);
    const output = new Float64Array(SIZE * SIZE);
    return {
      job: {
        network,
        train,
        validation,
        rate: values.rate,
        cost: cost.MSE,
        shuffle: true,
        seed: values.seed,
        chunk: 4,
        iterations: 400,
      },
      render() {
        for (let j = 1; j < SIZE - 1; j++)
          for (let i = 1; i < SIZE - 1; i++) output[j * SIZE + i] = network.activate(patch(image, i, j))[0];
        drawGray(learned, inside(output), SIZE - 2, SIZE - 2);
        fitCanvas(learned);
      },
      probe: () => patch(image, 20, 20),
    };
  },
});
