import { Perceptron } from '@synaptic/architect';
import { mulberry32, setRandom } from '@synaptic/core';
import { cost, type TrainingSample } from '@synaptic/trainer';
import { drawRGB, figureCanvas, fitCanvas } from '../lib/draw.js';
import { runPage } from '../lib/page.js';
import { picture } from '../lib/picture.js';
import { int, number } from '../lib/url-state.js';

runPage({
  id: 'paint',
  title: 'Paint an Image',
  intro:
    'A perceptron learns a picture as a function from a position (x, y) to a colour (r, g, b), then paints it by asking for every pixel. One pixel in eight is held out for validation.',
  settings: {
    size: int('picture size', 24, 8, 48),
    hidden: int('units per hidden layer', 16, 2, 48),
    layers: int('hidden layers', 2, 1, 3),
    rate: number('learning rate', 0.05, 0.001, 2),
    seed: int('seed', 1, 0, 1_000_000),
  },
  autoStart: true,
  build(values, view) {
    setRandom(mulberry32(values.seed));
    const size = values.size;
    const hidden = new Array<number>(values.layers).fill(values.hidden);
    const network = new Perceptron(2, ...hidden, 3);
    const target = picture(size, size);
    const train: TrainingSample[] = [];
    const validation: TrainingSample[] = [];
    for (let j = 0; j < size; j++)
      for (let i = 0; i < size; i++) {
        const p = (j * size + i) * 3;
        const sample = { input: [i / (size - 1), j / (size - 1)], output: [target[p], target[p + 1], target[p + 2]] };
        ((i * 7 + j * 3) % 8 === 0 ? validation : train).push(sample);
      }
    const shown = figureCanvas(view, 'the picture', 240 / size);
    const painted = figureCanvas(view, 'painted by the network', 240 / size);
    drawRGB(shown, target, size, size);
    fitCanvas(shown);
    const output = new Float64Array(size * size * 3);
    return {
      job: {
        network,
        train,
        validation,
        rate: values.rate,
        cost: cost.MSE,
        shuffle: true,
        seed: values.seed,
        chunk: 25,
        iterations: 3000,
      },
      render() {
        for (let j = 0; j < size; j++)
          for (let i = 0; i < size; i++)
            output.set(network.activate([i / (size - 1), j / (size - 1)]), (j * size + i) * 3);
        drawRGB(painted, output, size, size);
        fitCanvas(painted);
      },
      probe: () => [0.3, 0.6],
    };
  },
});
