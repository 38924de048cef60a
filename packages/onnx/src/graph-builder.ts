import { onnx, type ONNX } from './proto.js';

const { FLOAT, INT64 } = onnx.TensorProto.DataType;
const { INT, INTS, FLOAT: FLOAT_ATTR } = onnx.AttributeProto.AttributeType;

/** An attribute value the exporter writes: an int, a list of ints, or a float. */
export type AttributeValue = number | number[] | { float: number };

/** A float32 tensor type of shape [batch, size] with a symbolic batch dimension. */
export function batchTensorInfo(name: string, size: number, docString?: string): ONNX.IValueInfoProto {
  return {
    name,
    ...(docString === undefined ? {} : { docString }),
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: [{ dimParam: 'batch' }, { dimValue: size }] },
      },
    },
  };
}

/**
 * Collects the nodes and initializers of one ONNX graph, naming every tensor it makes uniquely.
 * Names of constants and intermediate values start with a hint so the graph reads well in Netron.
 */
export class GraphBuilder {
  readonly nodes: ONNX.INodeProto[] = [];
  readonly initializers: ONNX.ITensorProto[] = [];
  private readonly used = new Set<string>();

  /** Reserves a name (graph inputs and outputs) so that no generated tensor takes it. */
  reserve(name: string): string {
    this.used.add(name);
    return name;
  }

  fresh(hint: string): string {
    let name = hint;
    for (let k = 1; this.used.has(name); k++) name = `${hint}_${k}`;
    this.used.add(name);
    return name;
  }

  /** A float32 initializer (values are rounded to float32). */
  floats(hint: string, dims: number[], values: ArrayLike<number>): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dataType: FLOAT, dims, floatData: Array.from(Float32Array.from(values)) });
    return name;
  }

  /** An int64 initializer (indices, shapes, slice bounds). */
  ints(hint: string, dims: number[], values: number[]): string {
    const name = this.fresh(hint);
    this.initializers.push({ name, dataType: INT64, dims, int64Data: values.slice() });
    return name;
  }

  /** Appends a node with one output; returns that output's name. */
  node(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}, hint?: string): string {
    const output = this.fresh(hint ?? opType.toLowerCase());
    this.nodes.push({
      opType,
      name: this.fresh(`${opType}_node`),
      input: inputs.slice(),
      output: [output],
      attribute: Object.entries(attributes).map(([name, value]) => toAttribute(name, value)),
    });
    return output;
  }

  /** The node that produces `tensor`, if a node of this graph does. */
  producer(tensor: string): ONNX.INodeProto | undefined {
    return this.nodes.find((n) => n.output?.includes(tensor));
  }

  /** Renames a tensor a node of this graph produces, everywhere it is read. */
  rename(from: string, to: string): void {
    for (const node of this.nodes) {
      node.input = (node.input ?? []).map((n) => (n === from ? to : n));
      node.output = (node.output ?? []).map((n) => (n === from ? to : n));
    }
    this.used.add(to);
  }
}

function toAttribute(name: string, value: AttributeValue): ONNX.IAttributeProto {
  if (typeof value === 'number') return { name, type: INT, i: value };
  if (Array.isArray(value)) return { name, type: INTS, ints: value };
  return { name, type: FLOAT_ATTR, f: value.float };
}
