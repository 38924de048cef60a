import { Layer, Network, cost, mulberry32 } from '../../packages/core/src/index.ts';
import { compileBatch } from '../../packages/compile/src/index.ts';
const mk = () => {
  const i = new Layer(784),
    h = new Layer(100),
    o = new Layer(10);
  i.project(h);
  h.project(o);
  return new Network({ input: i, hidden: [h], output: o });
};
const r = mulberry32(1);
const B = 32;
const X = new Float64Array(B * 784).map(() => r());
const T = new Float64Array(B * 10);
for (let b = 0; b < B; b++) T[b * 10 + (b % 10)] = 1;
const precision = (process.argv[2] ?? 'f32') as 'f32' | 'f64';
const net = mk();
const batch = compileBatch(net, { batchSize: B, precision, backend: 'wasm' });
const step = () => {
  batch.forward(X);
  batch.backward(T, { cost: cost.MSE });
  for (const p of net.parameters()) {
    const v = p.value,
      g = p.gradient;
    for (let k = 0; k < v.length; k++) {
      v[k] -= 0.01 * g[k];
      g[k] = 0;
    }
  }
};
for (let k = 0; k < 50; k++) step();
const t0 = performance.now();
let n = 0;
while (performance.now() - t0 < 2500) {
  step();
  n++;
}
console.log(precision, Math.round((n * B) / ((performance.now() - t0) / 1000)));
