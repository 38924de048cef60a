import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LossPoint } from './session.js';

/**
 * The live loss curves (uPlot): the training error that the worker reports as it trains, and the
 * validation error measured on the held-out set after each chunk. The y axis is logarithmic.
 */
export class LossChart {
  private readonly plot: uPlot;
  private readonly x: number[] = [];
  private readonly train: number[] = [];
  private readonly validation: (number | null)[] = [];
  private pending = false;

  constructor(parent: HTMLElement, width = 360, height = 200) {
    const options: uPlot.Options = {
      width,
      height,
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [
        { label: 'iterations' },
        { label: 'error', size: 60, values: (_u, splits) => splits.map((v) => (v == null ? '' : v.toExponential(0))) },
      ],
      series: [
        { label: 'iterations' },
        { label: 'training', stroke: '#d9480f', width: 2, points: { show: false } },
        { label: 'validation', stroke: '#1971c2', width: 2, spanGaps: true, points: { show: true, size: 4 } },
      ],
      legend: { live: false },
    };
    this.plot = new uPlot(options, [[], [], []], parent);
  }

  add(point: LossPoint): void {
    // log axis: a zero error would be -Infinity
    const floor = (v: number) => Math.max(v, 1e-12);
    this.x.push(point.iterations);
    this.train.push(floor(point.train));
    this.validation.push(point.validation === null ? null : floor(point.validation));
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.plot.setData([this.x, this.train, this.validation] as uPlot.AlignedData);
    });
  }
}
