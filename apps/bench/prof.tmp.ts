import { Convolutional } from '@synaptic/architect';
import { compileBatch } from '@synaptic/compile';
import { cost } from '@synaptic/core';
import { readFileSync } from 'node:fs';
for (const file of ['seed-003', 'lenet']) {
const spec = JSON.parse(readFileSync(`../cli/examples/${file}.json`, 'utf8'));
const net = new Convolutional(spec, { seed: 1 });
const batch = compileBatch(net, { batchSize: 32, precision: 'f32' });
const x = new Float64Array(32 * 784).map((_, i) => (i * 7919) % 255 / 255);
const t = new Float64Array(320).map((_, i) => (i % 10 === 3 ? 1 : 0));
for (let r = 0; r < 3; r++) {
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let k = 0; k < 60; k++) { batch.forward(x); batch.backward(t, { cost: cost.CROSS_ENTROPY }); }
const c = process.cpuUsage(c0);
console.log(file, (60 * 32 / (performance.now() - t0) * 1000).toFixed(0), 'samples/s', (60*32/((c.user+c.system)/1e6)).toFixed(0), 'per cpu-s');
}}
