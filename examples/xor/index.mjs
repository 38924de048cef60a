// XOR with a 2-3-1 perceptron, as in the synaptic 1.x tutorial.
// It imports the built @synaptic/core: from the repository root, `pnpm build` once, then
// `node examples/xor/index.mjs` (or `pnpm --filter @synaptic/example-xor start`). The root `pnpm start` runs
// the CLI's MNIST demo, not this.
import { Layer, Network, mulberry32, setRandom } from '@synaptic/core';

// A seeded random source makes the demo reproducible (same initial weights, same output on
// every run); without it, weights are drawn from Math.random as in 1.x.
setRandom(mulberry32(42));

const input = new Layer(2),
  hidden = new Layer(3),
  output = new Layer(1);
input.project(hidden);
hidden.project(output);
const net = new Network({ input, hidden: [hidden], output });

const rows = [
  [0, 0, 0],
  [0, 1, 1],
  [1, 0, 1],
  [1, 1, 0],
];

const learningRate = 0.3;
const iterations = 20000;
for (let i = 0; i < iterations; i++) {
  for (const [a, b, t] of rows) {
    net.activate([a, b]);
    net.propagate(learningRate, [t]);
  }
}

console.log(`XOR, 2-3-1 network, ${iterations} iterations, learning rate ${learningRate}`);
console.log('a  b  target  output  rounded');
let wrong = 0;
for (const [a, b, t] of rows) {
  const out = net.activate([a, b])[0];
  const rounded = Math.round(out);
  if (rounded !== t) wrong++;
  console.log(`${a}  ${b}  ${t}       ${out.toFixed(4)}  ${rounded}${rounded === t ? '' : '  <- wrong'}`);
}

if (wrong > 0) {
  console.error(`${wrong} of ${rows.length} outputs are wrong`);
  process.exit(1);
}
console.log('all 4 outputs correct');
