import { Perceptron } from '@synaptic/architect';
import { mulberry32, SQUASH_NAMES, type SquashName, setRandom, squash } from '@synaptic/core';
import { type CostName, cost, type TrainingSample } from '@synaptic/trainer';
import {
  type Column,
  DataFileError,
  defaultRoles,
  parseFile,
  type Role,
  samples,
  type Table,
  width,
} from '../lib/dataset.js';
import { runPage } from '../lib/page.js';
import { seeded } from '../lib/random.js';
import { OPTIMIZERS, OUTPUTS, optimizerOption, setOutput, softmaxProblem } from '../lib/training.js';
import { choice, hidden, int, number, text } from '../lib/url-state.js';

const STORE = 'synaptic-playground:data';

interface Stored {
  name: string;
  text: string;
}

/** The file dropped last, kept for this tab so that a reload finds it again. */
function stored(): Stored | null {
  try {
    const raw = sessionStorage.getItem(STORE);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

let memory: Stored | null = null;

function keep(file: Stored): string | null {
  memory = file;
  try {
    sessionStorage.setItem(STORE, JSON.stringify(file));
    return null;
  } catch {
    return `${file.name} is too large to keep for a reload: drop it again after reloading`;
  }
}

/** Two rings of points, inner and outer: a data set to try the page with. */
function exampleCSV(): Stored {
  const random = seeded(42);
  const lines = ['x,y,ring'];
  for (let i = 0; i < 240; i++) {
    const outer = i % 2 === 1;
    const r = outer ? 0.7 + 0.25 * random() : 0.35 * random();
    const a = random() * 2 * Math.PI;
    lines.push(`${(r * Math.cos(a)).toFixed(3)},${(r * Math.sin(a)).toFixed(3)},${outer ? 'outer' : 'inner'}`);
  }
  return { name: 'rings.csv', text: lines.join('\n') };
}

function describe(column: Column): string {
  return column.kind === 'number'
    ? `numbers from ${column.min} to ${column.max}`
    : `${column.categories.length} categories (${column.categories.slice(0, 4).join(', ')}${column.categories.length > 4 ? ', …' : ''})`;
}

const COSTS: CostName[] = ['MSE', 'CROSS_ENTROPY', 'BINARY'];

runPage({
  id: 'data',
  title: 'Your data',
  intro:
    'Drop a CSV file (with a header row) or a JSON file (a 1.x training set, or an array of records), choose which columns are inputs and outputs, the network and how to train it. Numbers are scaled into [0, 1], texts become one unit per category. The file stays in your browser.',
  settings: {
    file: hidden(text('file', '')),
    roles: hidden(text('roles', '', /^[iox]*$/)),
    hidden: text('hidden layers', '8', /^\d{1,4}(,\d{1,4})*$/),
    squash: choice('hidden squash', 'LOGISTIC', SQUASH_NAMES),
    output: choice('output', 'LOGISTIC', OUTPUTS),
    cost: choice('cost', 'MSE', COSTS),
    optimizer: choice('optimizer', '1.x', OPTIMIZERS),
    rate: number('learning rate', 0.1, 0.0001, 5),
    batchSize: int('batch size', 1, 1, 100_000),
    validation: number('validation share', 0.2, 0, 0.9),
    iterations: int('iterations', 1000, 1, 1_000_000),
    seed: int('seed', 1, 0, 1_000_000),
  },
  autoStart: false,
  build(values, view, page) {
    const drop = document.createElement('div');
    drop.className = 'drop';
    drop.id = 'drop';
    const picker = Object.assign(document.createElement('input'), {
      type: 'file',
      accept: '.csv,.json,.txt',
      id: 'file',
    });
    const example = Object.assign(document.createElement('button'), {
      type: 'button',
      textContent: 'Use an example (rings.csv)',
    });
    drop.append('Drop a .csv or .json file here, or ', picker, ' ', example);
    const message = document.createElement('p');
    message.className = 'problems';
    message.id = 'data-message';
    view.append(drop, message);

    // a file that cannot be read changes nothing: the page keeps the file and settings it had
    const load = (file: Stored) => {
      let parsed: ReturnType<typeof parseFile>;
      try {
        parsed = parseFile(file.text, file.name);
      } catch (error) {
        message.textContent = error instanceof Error ? error.message : String(error);
        return;
      }
      const warning = keep(file);
      page.set({ file: file.name, roles: (parsed.roles ?? defaultRoles(parsed.table.columns)).join('') });
      if (warning) view.querySelector('#data-message')!.textContent = warning;
    };
    const read = (file: File) => file.text().then((content) => load({ name: file.name, text: content }));
    picker.addEventListener('change', () => picker.files?.[0] && void read(picker.files[0]));
    example.addEventListener('click', () => load(exampleCSV()));
    drop.addEventListener('dragover', (event) => {
      event.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (event) => {
      event.preventDefault();
      drop.classList.remove('over');
      const file = event.dataTransfer?.files[0];
      if (file) void read(file);
    });

    if (!values.file) return null;
    const file = memory?.name === values.file ? memory : stored();
    if (!file || file.name !== values.file) {
      message.textContent = `${values.file} is not in this tab any more: drop it again (the settings are kept).`;
      return null;
    }
    memory = file;
    let table: Table;
    let roles: Role[];
    try {
      table = parseFile(file.text, file.name).table;
      roles =
        values.roles.length === table.columns.length ? ([...values.roles] as Role[]) : defaultRoles(table.columns);
    } catch (error) {
      message.textContent = error instanceof Error ? error.message : String(error);
      return null;
    }

    // the columns and their roles
    const columns = document.createElement('table');
    columns.className = 'small';
    columns.id = 'columns';
    columns.innerHTML = '<tr><th>column</th><th>values</th><th>units</th><th>role</th></tr>';
    table.columns.forEach((column, c) => {
      const row = columns.insertRow();
      row.insertCell().textContent = column.name;
      row.insertCell().textContent = describe(column);
      row.insertCell().textContent = String(width(column));
      const select = document.createElement('select');
      select.dataset.column = String(c);
      for (const [value, label] of [
        ['i', 'input'],
        ['o', 'output'],
        ['x', 'ignored'],
      ])
        select.append(Object.assign(document.createElement('option'), { value, textContent: label }));
      select.value = roles[c];
      select.addEventListener('change', () => {
        const next = [...roles];
        next[c] = select.value as Role;
        page.set({ roles: next.join('') });
      });
      row.insertCell().append(select);
    });
    const summary = document.createElement('p');
    summary.textContent = `${file.name}: ${table.rows.length} rows, ${table.columns.length} columns.`;
    view.append(summary, columns);

    let all: TrainingSample[];
    try {
      all = samples(table, roles);
    } catch (error) {
      if (!(error instanceof DataFileError)) throw error;
      message.textContent = error.message;
      return null;
    }
    if (values.output === 'SOFTMAX') {
      const problem = softmaxProblem(all);
      if (problem) {
        message.textContent = `${problem}: choose output LOGISTIC, or class columns (text) as the outputs.`;
        return null;
      }
      if (values.cost !== 'CROSS_ENTROPY')
        message.textContent =
          'A softmax output trains with cross-entropy (the categorical −Σ t ln y): the cost setting is not used.';
    }
    // a seeded shuffle, then the last share validates
    const random = seeded(values.seed);
    for (let i = all.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [all[i], all[j]] = [all[j], all[i]];
    }
    const split = Math.max(1, Math.min(all.length, Math.round(all.length * (1 - values.validation))));
    const train = all.slice(0, split);
    const validation = split < all.length ? all.slice(split) : null;

    setRandom(mulberry32(values.seed));
    const sizes = values.hidden.split(',').map(Number);
    if (sizes.some((s) => s < 1)) throw new DataFileError('hidden layers: every size must be at least 1');
    const network = new Perceptron(train[0].input.length, ...sizes, train[0].output.length);
    for (const layer of network.layers.hidden) layer.set({ squash: squash[values.squash as SquashName] });
    setOutput(network, values.output);

    const predictions = document.createElement('table');
    predictions.className = 'small';
    view.append(Object.assign(document.createElement('h3'), { textContent: 'Some held-out rows' }), predictions);
    const shown = (validation ?? train).slice(0, 8);
    return {
      job: {
        network,
        train,
        validation,
        rate: values.rate,
        cost: values.output === 'SOFTMAX' ? cost.CROSS_ENTROPY : cost[values.cost as CostName],
        optimizer: optimizerOption(values.optimizer),
        batchSize: values.batchSize,
        shuffle: true,
        seed: values.seed,
        chunk: Math.max(1, Math.min(50, Math.round(20000 / train.length))),
        iterations: values.iterations,
      },
      render() {
        predictions.innerHTML =
          '<tr><th>target</th><th>output</th></tr>' +
          shown
            .map((s) => {
              const out = network.activate(s.input);
              return `<tr><td>${Array.from(s.output, (v) => v.toFixed(2)).join(' ')}</td><td>${out.map((v) => v.toFixed(2)).join(' ')}</td></tr>`;
            })
            .join('');
      },
      probe: () => train[0].input,
    };
  },
});
