import { optimize } from '@synaptic/compile';
import type { Network } from '@synaptic/core';
import { download, exporters } from './export.js';
import { Heatmaps } from './heatmap.js';
import { LossChart } from './loss-chart.js';
import { drawNetwork } from './network-view.js';
import { PAGES } from './pages.js';
import { gradientOptions, type Job, type LossPoint, type SessionState, TrainingSession } from './session.js';
import { snapshot } from './snapshot.js';
import { type Field, parseField, readHash, type Schema, type Values, writeHash } from './url-state.js';
import './style.css';

/** What a page builds from its settings: the training job and how to redraw its own view. */
export interface Built {
  job: Job;
  /** Redraws the page's own view from the network (after every chunk, and once before training). */
  render(): void;
  /** The input to activate before the activations are drawn (null: leave the network as it is). */
  probe(): ArrayLike<number> | null;
}

export interface PageDefinition<S extends Schema> {
  /** The file name's stem, and the name of exported files. */
  id: string;
  title: string;
  /** One paragraph under the title (HTML). */
  intro: string;
  settings: S;
  /** Build the job; `view` is the page's own area, emptied before each build. Null: nothing to train yet. */
  build(values: Values<S>, view: HTMLElement, context: PageContext<S>): Built | null;
  /** Start training as soon as the page is built (the demos do; the data page waits for data). */
  autoStart: boolean;
}

/** What a page's own view may do: change settings (the URL follows, and the page is rebuilt). */
export interface PageContext<S extends Schema> {
  set(changes: Partial<Values<S>>): void;
  /** Redraws the page (its view, the network, the heatmaps), e.g. after the user gave it a new input. */
  redraw(): void;
}

/** What tests and curious users can read on `window.playground`. */
export interface PlaygroundStatus {
  page: string;
  state: SessionState;
  iterations: number;
  workerRuns: number;
  losses: LossPoint[];
  values: Record<string, number | string>;
  problems: string[];
  error: string | null;
  network: Network | null;
  /** The gradient-path options each `trainAsync` call gets (`optimizer`, `batchSize`); `{}` on 1.x's path. */
  trainOptions: { optimizer?: string; batchSize?: number };
  /** Starts (or resumes) training. */
  train(): void;
  pause(): void;
}

declare global {
  interface Window {
    playground: PlaygroundStatus;
  }
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function panel(title: string, body: HTMLElement): HTMLElement {
  return element('section', { className: 'panel' }, [element('h2', { textContent: title }), body]);
}

function input(key: string, field: Field, value: number | string): HTMLInputElement | HTMLSelectElement {
  if (field.kind === 'choice') {
    const select = element('select', { name: key, id: `setting-${key}` });
    for (const option of field.options) select.append(element('option', { value: option, textContent: option }));
    select.value = String(value);
    return select;
  }
  const box = element('input', { name: key, id: `setting-${key}`, value: String(value) });
  if (field.kind === 'text') box.type = 'text';
  else {
    box.type = 'number';
    box.min = String(field.min);
    box.max = String(field.max);
    box.step = field.kind === 'int' ? '1' : 'any';
  }
  return box;
}

/** Builds the page: navigation, settings form, the page's view, loss curves, network, heatmaps and exports. */
export function runPage<S extends Schema>(definition: PageDefinition<S>): { rebuild(): void } {
  const read = readHash(definition.settings, location.hash);
  let values = read.values;
  const status: PlaygroundStatus = {
    page: definition.id,
    state: 'idle',
    iterations: 0,
    workerRuns: 0,
    losses: [],
    values: { ...values },
    problems: read.problems,
    error: null,
    network: null,
    trainOptions: {},
    train: () => void session?.start(),
    pause: () => session?.pause(),
  };
  window.playground = status;

  const nav = element(
    'nav',
    {},
    PAGES.map((p) =>
      element('a', {
        href: `./${p.file}`,
        textContent: p.title,
        className: p.file === `${definition.id}.html` ? 'current' : '',
      }),
    ),
  );
  const problems = element('ul', { className: 'problems', id: 'problems' });
  const form = element('form', { id: 'settings' });
  const stateLine = element('p', { id: 'state', textContent: 'idle' });
  const trainButton = element('button', { type: 'button', id: 'train', textContent: 'Train' });
  const pauseButton = element('button', { type: 'button', id: 'pause', textContent: 'Pause' });
  const resetButton = element('button', { type: 'button', id: 'reset', textContent: 'Reset' });
  const view = element('div', { className: 'view', id: 'view' });
  const chartBox = element('div', { id: 'loss' });
  const networkCanvas = element('canvas', { id: 'network', width: 360, height: 260 });
  const activationBox = element('div', { className: 'heatmaps', id: 'activations' });
  const weightBox = element('div', { className: 'heatmaps', id: 'weights' });
  const exportBox = element('div', { id: 'exports' });
  for (const exporter of exporters) {
    const button = element('button', { type: 'button', textContent: exporter.label });
    button.dataset.export = exporter.label;
    button.addEventListener('click', () => {
      exportProblem.textContent = '';
      if (!status.network) return;
      try {
        download(exporter.file(status.network, definition.id));
      } catch (error) {
        // e.g. a network @synaptic/onnx cannot write: say why, change nothing
        exportProblem.textContent = `${exporter.label}: ${error instanceof Error ? error.message : String(error)}`;
      }
    });
    exportBox.append(button);
  }
  const exportProblem = element('p', { className: 'problems', id: 'export-problem' });
  exportBox.append(exportProblem);

  for (const [key, field] of Object.entries(definition.settings)) {
    if (field.hidden) continue;
    const box = input(key, field, (values as Record<string, number | string>)[key]);
    form.append(element('label', {}, [element('span', { textContent: field.label }), box]));
  }
  document.body.replaceChildren(
    element('header', {}, [element('h1', { textContent: `synaptic playground: ${definition.title}` }), nav]),
    element('main', {}, [
      element('aside', {}, [
        element('p', { className: 'intro', innerHTML: definition.intro }),
        problems,
        form,
        element('div', { className: 'buttons' }, [trainButton, pauseButton, resetButton]),
        stateLine,
      ]),
      view,
      element('div', { className: 'side' }, [
        panel('Loss', chartBox),
        panel('Network', networkCanvas),
        panel('Activations', activationBox),
        panel('Weights', weightBox),
        panel('Export', exportBox),
      ]),
    ]),
  );

  const showProblems = () => problems.replaceChildren(...status.problems.map((p) => element('li', { textContent: p })));
  showProblems();

  let session: TrainingSession | null = null;
  let chart: LossChart;
  let built: Built | null = null;
  const heatmaps = new Heatmaps(activationBox, weightBox);

  const redraw = () => {
    if (!built) return;
    built.render();
    const probe = built.probe();
    if (probe) built.job.network.activate(probe);
    const snap = snapshot(built.job.network);
    drawNetwork(networkCanvas, snap);
    heatmaps.draw(snap);
  };

  const rebuild = () => {
    session?.pause();
    session = null;
    chartBox.replaceChildren();
    chart = new LossChart(chartBox);
    view.replaceChildren();
    status.losses = [];
    status.iterations = 0;
    status.workerRuns = 0;
    status.error = null;
    try {
      built = definition.build(values, view, context);
    } catch (error) {
      built = null;
      status.error = error instanceof Error ? error.message : String(error);
      status.problems = [...status.problems, status.error];
      showProblems();
    }
    status.network = built?.job.network ?? null;
    status.trainOptions = built ? gradientOptions(built.job) : {};
    if (!built) {
      setState('idle');
      return;
    }
    // compiled code: the worker trains the compiled network's portable source, the page activates it
    optimize(built.job.network);
    const current = new TrainingSession(built.job, {
      onLoss: (point) => {
        status.losses.push(point);
        chart.add(point);
      },
      onChunk: (iterations) => {
        status.iterations = iterations;
        status.workerRuns = current.workerRuns;
        redraw();
      },
      onState: (state, detail) => {
        if (session !== current) return;
        if (detail) {
          status.error = detail;
          status.problems = [...status.problems, detail];
          showProblems();
        }
        setState(state);
      },
    });
    session = current;
    redraw();
    setState('idle');
    if (definition.autoStart) void current.start();
  };

  function setState(state: SessionState) {
    status.state = state;
    stateLine.textContent = `${state}${status.iterations ? `, ${status.iterations} iterations` : ''}`;
    document.body.dataset.state = state;
  }

  const context: PageContext<S> = {
    set(changes) {
      values = { ...values, ...changes };
      for (const [key, value] of Object.entries(changes)) {
        const box = form.elements.namedItem(key);
        if (box instanceof HTMLInputElement || box instanceof HTMLSelectElement) box.value = String(value);
      }
      keepInURL();
      rebuild();
    },
    redraw: () => redraw(),
  };
  function keepInURL() {
    status.values = { ...values };
    history.replaceState(null, '', `${location.pathname}${location.search}${writeHash(definition.settings, values)}`);
  }

  form.addEventListener('change', (event) => {
    const target = event.target as HTMLInputElement | HTMLSelectElement;
    const field = definition.settings[target.name];
    if (!field) return;
    const parsed = parseField(field, target.value);
    if ('problem' in parsed) {
      status.problems = [`${target.name} ${parsed.problem}`];
      showProblems();
      return;
    }
    status.problems = [];
    showProblems();
    values = { ...values, [target.name]: parsed.value };
    keepInURL();
    rebuild();
  });
  trainButton.addEventListener('click', () => void session?.start());
  pauseButton.addEventListener('click', () => session?.pause());
  resetButton.addEventListener('click', rebuild);
  rebuild();
  return { rebuild };
}
