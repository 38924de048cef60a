import { LSTM } from '@synaptic/architect';
import { mulberry32, setRandom } from '@synaptic/core';
import { cost, type TrainingSample } from '@synaptic/trainer';
import { ARTICLE } from '../data/wikipedia.js';
import { runPage } from '../lib/page.js';
import { int, number, text } from '../lib/url-state.js';

const ALPHABET = [...new Set(ARTICLE)].sort();

function oneHot(char: string): number[] {
  const v = new Array<number>(ALPHABET.length).fill(0);
  v[ALPHABET.indexOf(char)] = 1;
  return v;
}

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

runPage({
  id: 'wikipedia',
  title: 'Read from Wikipedia',
  intro:
    'An LSTM reads a paragraph one character at a time and learns to predict the next one. The first 85% of the text trains it, the rest validates. Below, it writes on from a prompt, always choosing the character it finds most likely. The text is bundled with the page (an encyclopedia-style paragraph written for this demo): nothing is fetched.',
  settings: {
    blocks: int('memory blocks', 24, 2, 64),
    rate: number('learning rate', 0.1, 0.001, 2),
    prompt: text('prompt', 'the network ', /^[a-z ,.]{1,40}$/),
    seed: int('seed', 1, 0, 1_000_000),
  },
  autoStart: true,
  build(values, view) {
    setRandom(mulberry32(values.seed));
    const network = new LSTM(ALPHABET.length, values.blocks, ALPHABET.length);
    const samples: TrainingSample[] = [];
    for (let i = 0; i + 1 < ARTICLE.length; i++)
      samples.push({ input: oneHot(ARTICLE[i]), output: oneHot(ARTICLE[i + 1]) });
    const split = Math.floor(samples.length * 0.85);
    const source = document.createElement('p');
    source.className = 'mono';
    source.textContent = ARTICLE;
    const accuracy = document.createElement('p');
    const written = document.createElement('p');
    written.className = 'mono';
    written.id = 'written';
    view.append(
      Object.assign(document.createElement('h3'), { textContent: 'The text' }),
      source,
      accuracy,
      Object.assign(document.createElement('h3'), { textContent: 'What it writes' }),
      written,
    );
    return {
      job: {
        network,
        train: samples.slice(0, split),
        validation: samples.slice(split),
        rate: values.rate,
        cost: cost.CROSS_ENTROPY,
        shuffle: false,
        seed: values.seed,
        chunk: 10,
        iterations: 600,
      },
      render() {
        network.clear();
        let right = 0;
        for (let i = 0; i < split; i++)
          if (argmax(network.activate(samples[i].input)) === argmax(samples[i].output)) right++;
        accuracy.textContent = `Next character right ${right} times of ${split} over the training text.`;
        network.clear();
        let out = values.prompt;
        let next = '';
        for (const char of values.prompt)
          next = ALPHABET[argmax(network.activate(oneHot(ALPHABET.includes(char) ? char : ' ')))];
        for (let i = 0; i < 160; i++) {
          out += next;
          next = ALPHABET[argmax(network.activate(oneHot(next)))];
        }
        written.textContent = out;
        network.clear();
      },
      probe: () => null,
    };
  },
});
