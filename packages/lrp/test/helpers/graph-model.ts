import * as tf from '@tensorflow/tfjs';

/** Builds small tfjs GraphModels from GraphDef nodes (the JSON tfjs-converter writes), in memory. */
export class GraphDefBuilder {
  private readonly nodes: Record<string, unknown>[] = [];
  private readonly specs: tf.io.WeightsManifestEntry[] = [];
  private readonly data: ArrayBuffer[] = [];

  placeholder(name: string, shape: number[]): string {
    this.nodes.push({
      name,
      op: 'Placeholder',
      attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: shape.map((d) => ({ size: String(d) })) } } },
    });
    return name;
  }

  /** A constant (weights go to the weight manifest, as the converter writes them). */
  constant(name: string, t: tf.Tensor): string {
    const int = t.dtype === 'int32';
    this.nodes.push({
      name,
      op: 'Const',
      attr: {
        dtype: { type: int ? 'DT_INT32' : 'DT_FLOAT' },
        value: {
          tensor: {
            dtype: int ? 'DT_INT32' : 'DT_FLOAT',
            tensorShape: { dim: t.shape.map((d) => ({ size: String(d) })) },
          },
        },
      },
    });
    this.specs.push({ name, shape: t.shape, dtype: int ? 'int32' : 'float32' });
    const values = t.dataSync();
    this.data.push((int ? Int32Array.from(values) : Float32Array.from(values)).buffer);
    return name;
  }

  op(name: string, op: string, input: string[], attr: Record<string, unknown> = {}): string {
    this.nodes.push({ name, op, input, attr: { T: { type: 'DT_FLOAT' }, ...attr } });
    return name;
  }

  /**
   * Loads the model. `signature`: output keys → tensor names, as in a model.json converted from a
   * SavedModel (tfjs then names the outputs by their keys).
   */
  async load(signature?: Record<string, string>): Promise<tf.GraphModel> {
    const total = this.data.reduce((n, b) => n + b.byteLength, 0);
    const all = new Uint8Array(total);
    let offset = 0;
    for (const b of this.data) {
      all.set(new Uint8Array(b), offset);
      offset += b.byteLength;
    }
    return tf.loadGraphModel(
      tf.io.fromMemory({
        modelTopology: {
          node: this.nodes,
          versions: { producer: 1 },
        } as unknown as tf.io.ModelArtifacts['modelTopology'],
        format: 'graph-model',
        weightSpecs: this.specs,
        weightData: all.buffer,
        ...(signature
          ? {
              signature: {
                outputs: Object.fromEntries(
                  Object.entries(signature).map(([key, name]) => [key, { name, dtype: 'DT_FLOAT' }]),
                ),
              },
            }
          : {}),
      }),
    );
  }
}

/** GraphDef attribute values. */
export const attr = {
  s: (v: string) => ({ s: Buffer.from(v).toString('base64') }),
  ints: (v: number[]) => ({ list: { i: v.map(String) } }),
  strs: (v: string[]) => ({ list: { s: v.map((x) => Buffer.from(x).toString('base64')) } }),
  i: (v: number) => ({ i: String(v) }),
  f: (v: number) => ({ f: v }),
  b: (v: boolean) => ({ b: v }),
};

/** Attributes of an NHWC conv / pool. */
export function convAttrs(
  strides: number,
  padding: 'SAME' | 'VALID' | 'EXPLICIT',
  extra: Record<string, unknown> = {},
) {
  return {
    strides: attr.ints([1, strides, strides, 1]),
    padding: attr.s(padding),
    data_format: attr.s('NHWC'),
    dilations: attr.ints([1, 1, 1, 1]),
    ...extra,
  };
}
