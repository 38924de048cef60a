import { standalone } from '@synaptic/compile';
import { format1x, type Network } from '@synaptic/core';
import { toONNX } from '@synaptic/onnx';

/** One way to save the trained network: a label for its button and the file it makes. */
export interface ExportedFile {
  name: string;
  type: string;
  data: string | Uint8Array;
}

export interface Exporter {
  label: string;
  file(network: Network, name: string): ExportedFile;
}

/** The exports every page offers. */
export const exporters: readonly Exporter[] = [
  {
    label: '1.x JSON',
    file: (network, name) => ({
      name: `${name}.json`,
      type: 'application/json',
      data: JSON.stringify(format1x(network.toJSON())),
    }),
  },
  {
    label: 'standalone module',
    file: (network, name) => ({
      name: `${name}.mjs`,
      type: 'text/javascript',
      data: standalone(network, { format: 'esm' }),
    }),
  },
  {
    // feed-forward networks as standard ops, recurrent ones as one step function (see @synaptic/onnx)
    label: 'ONNX',
    file: (network, name) => ({
      name: `${name}.onnx`,
      type: 'application/octet-stream',
      data: toONNX(network, { name }),
    }),
  },
];

export function download(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([file.data as BlobPart], { type: file.type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
