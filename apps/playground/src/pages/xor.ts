import { Perceptron } from '@synaptic/architect';
import { setRandom, mulberry32 } from '@synaptic/core';
import { cost } from '@synaptic/trainer';
import { runPage } from '../lib/page.js';
import { drawField } from '../lib/draw.js';
import { int, number } from '../lib/url-state.js';

const XOR = [
  { input: [0, 0], output: [0] },
  { input: [0, 1], output: [1] },
  { input: [1, 0], output: [1] },
  { input: [1, 1], output: [0] },
];

runPage({
  id: 'xor',
  title: 'XOR',
  intro:
    'A perceptron learns exclusive or, the function a single layer cannot learn. The square shows its output over the plane of inputs: white is 1, black is 0.',
  settings: {
    hidden: int('hidden units', 3, 1, 16),
    rate: number('learning rate', 0.3, 0.001, 5),
    seed: int('seed', 1, 0, 1_000_000),
  },
  autoStart: true,
  build(values, view) {
    setRandom(mulberry32(values.seed));
    const network = new Perceptron(2, values.hidden, 1);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 48;
    canvas.style.width = canvas.style.height = '288px';
    const table = document.createElement('table');
    table.className = 'small';
    view.append(canvas, table);
    return {
      job: {
        network,
        train: XOR,
        validation: null,
        rate: values.rate,
        cost: cost.MSE,
        shuffle: true,
        seed: values.seed,
        chunk: 500,
        iterations: 10_000,
      },
      render() {
        drawField(canvas, (x, y) => network.activate([x, y])[0]);
        table.innerHTML =
          '<tr><th>input</th><th>target</th><th>output</th></tr>' +
          XOR.map(
            (s) =>
              `<tr><td>${s.input.join(', ')}</td><td>${s.output[0]}</td><td>${network.activate(s.input)[0].toFixed(3)}</td></tr>`,
          ).join('');
      },
      probe: () => [1, 0],
    };
  },
});
