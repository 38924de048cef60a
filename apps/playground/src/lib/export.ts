import { standalone } from '@synaptic/compile';
import type { Network } from '@synaptic/core';

/** One way to save the trained network: a label for its button and the file it makes. */
export interface Exporter {
  label: string;
  file(network: Network, name: string): { name: string; type: string; text: string };
}

/**
 * The exports every page offers. ONNX is not among them: @synaptic/onnx does not exist yet; when it
 * does, an exporter for it is one more entry here.
 */
export const exporters: readonly Exporter[] = [
  {
    label: '1.x JSON',
    file: (network, name) => ({
      name: `${name}.json`,
      type: 'application/json',
      text: JSON.stringify(network.toJSON()),
    }),
  },
  {
    label: 'standalone module',
    file: (network, name) => ({
      name: `${name}.mjs`,
      type: 'text/javascript',
      text: standalone(network, { format: 'esm' }),
    }),
  },
];

export function download(file: { name: string; type: string; text: string }): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
