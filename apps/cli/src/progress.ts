import cliProgress from 'cli-progress';
import { onForcedExit } from './interrupt.js';

export interface ProgressFields {
  /** Shown before the bar: `epoch 2/5`, `dsr`. */
  label?: string;
  /** The latest error (training cost). */
  error?: number;
  /** Units per second. */
  speed?: number;
}

/** `12,345` */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatError(error: number | undefined): string {
  if (error === undefined || Number.isNaN(error)) return '-';
  if (error === 0) return '0';
  return Math.abs(error) >= 0.001 ? error.toFixed(4) : error.toExponential(2);
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - 60 * m)} s`;
}

const NOTE_EVERY_MS = 2000;

/**
 * A live progress bar (cli-progress) on stderr when it is a terminal: label, bar, percentage,
 * count, speed, error and ETA. When stderr is not a terminal (a pipe, a CI log) the bar is not
 * drawn and `note` lines (e.g. one per epoch) are printed instead. `quiet` turns both off.
 */
export class Progress {
  private readonly bar: cliProgress.SingleBar | null;
  private readonly plain: boolean;
  private fields: Required<ProgressFields> = { label: '', error: NaN, speed: 0 };
  private running = false;
  private removeCleanup: (() => void) | null = null;
  private lastNote = performance.now();

  constructor(
    unit: string,
    quiet: boolean,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    const tty = !quiet && stream.isTTY === true;
    this.plain = !quiet && !tty;
    this.bar = tty
      ? new cliProgress.SingleBar(
          {
            format: `{label} {bar} {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | error {error} | ETA {eta_formatted}`,
            stream,
            fps: 10,
            etaBuffer: 50,
            barsize: 24,
            hideCursor: true,
            clearOnComplete: false,
            stopOnComplete: false,
            formatValue: (value, _options, type) =>
              type === 'value' || type === 'total' ? formatCount(value) : String(value),
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  }

  private payload(): Record<string, string> {
    return { label: this.fields.label, error: formatError(this.fields.error), speed: formatCount(this.fields.speed) };
  }

  start(total: number, fields: ProgressFields = {}): void {
    this.fields = { ...this.fields, ...fields };
    if (this.bar) {
      this.bar.start(total, 0, this.payload());
      this.running = true;
      this.removeCleanup = onForcedExit(() => this.stop());
    }
  }

  update(value: number, fields: ProgressFields = {}): void {
    this.fields = { ...this.fields, ...fields };
    this.bar?.update(value, this.payload());
  }

  setTotal(total: number): void {
    this.bar?.setTotal(total);
  }

  /**
   * A line for logs, printed only when no bar is drawn (stderr is not a terminal): at most one
   * every `NOTE_EVERY_MS`, unless `force` (the last one).
   */
  note(line: string, force = false): void {
    if (!this.plain) return;
    const now = performance.now();
    if (!force && now - this.lastNote < NOTE_EVERY_MS) return;
    this.lastNote = now;
    this.stream.write(`${line}\n`);
  }

  stop(): void {
    if (this.bar && this.running) {
      this.running = false;
      this.bar.stop();
    }
    this.removeCleanup?.();
    this.removeCleanup = null;
  }
}
