import { Perceptron } from '@synaptic/architect';
import { mulberry32, setRandom } from '@synaptic/core';
import { cost } from '@synaptic/trainer';
import { drawGray } from '../lib/draw.js';
import { digitImage, digitSets, MAX_TRAIN_PER_DIGIT, MNIST_SIZE } from '../lib/digits.js';
import { toMnist } from '../lib/mnist-input.js';
import { runPage } from '../lib/page.js';
import { OPTIMIZERS, OUTPUTS, optimizerOption, setOutput } from '../lib/training.js';
import { choice, int, number } from '../lib/url-state.js';

const PAD = 196;

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

runPage({
  id: 'mnist',
  title: 'MNIST',
  intro:
    'A perceptron learns handwritten digits: real MNIST digits shipped with the page (from the mnist package), trained here in your browser. Draw a digit in the box to see its answer; the held-out digits validate.',
  settings: {
    perDigit: int('training digits per class', 60, 5, MAX_TRAIN_PER_DIGIT),
    hidden: int('hidden units', 24, 4, 128),
    output: choice('output', 'LOGISTIC', OUTPUTS),
    optimizer: choice('optimizer', '1.x', OPTIMIZERS),
    rate: number('learning rate', 0.05, 0.0001, 1),
    batchSize: int('batch size', 1, 1, 1000),
    seed: int('seed', 1, 0, 1_000_000),
  },
  autoStart: true,
  build(values, view, page) {
    setRandom(mulberry32(values.seed));
    const network = new Perceptron(MNIST_SIZE * MNIST_SIZE, values.hidden, 10);
    setOutput(network, values.output);
    const { train, test } = digitSets(values.perDigit);

    const pad = document.createElement('canvas');
    pad.width = pad.height = PAD;
    pad.id = 'pad';
    pad.style.cssText = 'background:#000;cursor:crosshair;touch-action:none;image-rendering:auto';
    const seen = document.createElement('canvas');
    seen.style.width = seen.style.height = '84px';
    const answer = document.createElement('p');
    answer.id = 'answer';
    const bars = document.createElement('table');
    bars.className = 'small';
    const clear = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Clear' });
    const sample = Object.assign(document.createElement('button'), { type: 'button', textContent: 'A test digit' });
    const accuracy = document.createElement('p');
    accuracy.id = 'accuracy';
    const row = document.createElement('div');
    row.style.cssText = 'display:flex;gap:12px;align-items:flex-start';
    const controls = document.createElement('div');
    controls.append(seen, answer, clear, sample);
    row.append(pad, controls, bars);
    // softmax over the ten digits, the categorical cross-entropy and Adam: one click sets all three
    const modern = Object.assign(document.createElement('button'), {
      type: 'button',
      id: 'softmax-adam',
      textContent: 'Softmax + cross-entropy + Adam',
    });
    modern.addEventListener('click', () =>
      page.set({ output: 'SOFTMAX', optimizer: 'adam', rate: 0.001, batchSize: 10 }),
    );
    view.append(row, accuracy, modern);

    const context = pad.getContext('2d')!;
    context.lineWidth = 16;
    context.lineCap = context.lineJoin = 'round';
    context.strokeStyle = '#fff';
    let drawing = false;
    let current: ArrayLike<number> | null = null;
    const ink = () => {
      const data = context.getImageData(0, 0, PAD, PAD).data;
      const gray = new Float64Array(PAD * PAD);
      for (let p = 0; p < gray.length; p++) gray[p] = data[p * 4] / 255;
      return gray;
    };
    const classify = () => {
      if (!current) {
        answer.textContent = 'Draw a digit.';
        bars.innerHTML = '';
        return;
      }
      drawGray(seen, current, MNIST_SIZE, MNIST_SIZE);
      const out = network.activate(current);
      const best = argmax(out);
      answer.textContent = `It reads: ${best}`;
      answer.dataset.digit = String(best);
      bars.innerHTML = out
        .map(
          (v, d) =>
            `<tr><td>${d}</td><td style="text-align:left"><span style="display:inline-block;height:9px;width:${Math.round(v * 100)}px;background:${d === best ? '#d9480f' : '#868e96'}"></span> ${v.toFixed(2)}</td></tr>`,
        )
        .join('');
    };
    const at = (event: PointerEvent) => {
      const r = pad.getBoundingClientRect();
      return [((event.clientX - r.left) * PAD) / r.width, ((event.clientY - r.top) * PAD) / r.height];
    };
    pad.addEventListener('pointerdown', (event) => {
      drawing = true;
      pad.setPointerCapture(event.pointerId);
      const [x, y] = at(event);
      context.beginPath();
      context.moveTo(x, y);
    });
    pad.addEventListener('pointermove', (event) => {
      if (!drawing) return;
      const [x, y] = at(event);
      context.lineTo(x, y);
      context.stroke();
    });
    pad.addEventListener('pointerup', () => {
      drawing = false;
      current = toMnist(ink(), PAD, PAD);
      page.redraw();
    });
    clear.addEventListener('click', () => {
      context.clearRect(0, 0, PAD, PAD);
      current = null;
      page.redraw();
    });
    let shown = 0;
    sample.addEventListener('click', () => {
      shown++;
      const image = digitImage(shown % 10, MAX_TRAIN_PER_DIGIT + (shown % 7));
      const img = context.createImageData(PAD, PAD);
      for (let p = 0; p < PAD * PAD; p++) {
        const x = Math.floor(((p % PAD) * MNIST_SIZE) / PAD);
        const y = Math.floor((Math.floor(p / PAD) * MNIST_SIZE) / PAD);
        const v = Math.round(image[y * MNIST_SIZE + x] * 255);
        img.data.set([v, v, v, 255], p * 4);
      }
      context.putImageData(img, 0, 0);
      current = image;
      page.redraw();
    });
    return {
      job: {
        network,
        train,
        validation: test,
        rate: values.rate,
        // on a softmax output, the categorical cross-entropy
        cost: cost.CROSS_ENTROPY,
        optimizer: optimizerOption(values.optimizer),
        batchSize: values.batchSize,
        shuffle: true,
        seed: values.seed,
        // each trainAsync call sends the set to a new worker and the page redraws after it: three passes a call
        chunk: 3,
        iterations: 60,
      },
      render() {
        let right = 0;
        for (const s of test) if (argmax(network.activate(s.input)) === argmax(s.output)) right++;
        accuracy.textContent = `${right} of ${test.length} held-out digits read right.`;
        accuracy.dataset.right = String(right);
        classify();
      },
      probe: () => current ?? test[0].input,
    };
  },
});
