import { Perceptron } from '@synaptic/architect';
import { mulberry32, type Network, setRandom } from '@synaptic/core';
import { cost, type TrainingSample } from '@synaptic/trainer';
import { runPage } from '../lib/page.js';
import { seeded } from '../lib/random.js';
import { int, number } from '../lib/url-state.js';

/** The activations of the hidden layer `index` (after the last activate). */
function layerActivations(network: Network, index: number): number[] {
  return network
    .neurons()
    .filter((unit) => unit.layer === index)
    .map((unit) => unit.neuron.activation);
}

runPage({
  id: 'som',
  title: 'Self-Organizing Map',
  intro:
    'A perceptron with a middle layer of two units learns to give back the colour it is shown. To pass a colour through two numbers it has to lay the colours out on a plane, similar colours near each other: the map on the left puts each colour at its two middle activations. (Kohonen’s maps learn by competition instead; this one is trained by the trainer, like every page here.)',
  settings: {
    colors: int('colours', 300, 20, 2000),
    rate: number('learning rate', 0.3, 0.001, 2),
    seed: int('seed', 1, 0, 1_000_000),
  },
  autoStart: true,
  build(values, view) {
    setRandom(mulberry32(values.seed));
    const network = new Perceptron(3, 2, 3);
    const random = seeded(values.seed + 5);
    const colors: TrainingSample[] = Array.from({ length: values.colors }, () => {
      const c = [random(), random(), random()];
      return { input: c, output: c };
    });
    const validation = Array.from({ length: 60 }, () => {
      const c = [random(), random(), random()];
      return { input: c, output: c };
    });
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 320;
    const caption = document.createElement('p');
    caption.textContent = 'x: middle unit 1, y: middle unit 2 (each from 0 to 1)';
    view.append(canvas, caption);
    const context = canvas.getContext('2d')!;
    return {
      job: {
        network,
        train: colors,
        validation,
        rate: values.rate,
        cost: cost.MSE,
        shuffle: true,
        seed: values.seed,
        chunk: 20,
        iterations: 2000,
      },
      render() {
        context.fillStyle = '#111';
        context.fillRect(0, 0, canvas.width, canvas.height);
        for (const { input } of colors) {
          network.activate(input);
          const [u, v] = layerActivations(network, 0);
          const [r, g, b] = Array.from(input, (x) => Math.round(x * 255));
          context.fillStyle = `rgb(${r},${g},${b})`;
          context.beginPath();
          context.arc(8 + u * (canvas.width - 16), 8 + v * (canvas.height - 16), 5, 0, 2 * Math.PI);
          context.fill();
        }
      },
      probe: () => [0.9, 0.4, 0.1],
    };
  },
});
