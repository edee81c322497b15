import type { LayerAdapter } from '../graph/builder';
import { applyLayer, layerError } from './util';

/**
 * An elementwise affine input layer: Rescaling (`y = x·scale + offset`) and Keras's Normalization
 * (`y = (x − mean) / √variance` per channel, or its inverse; tfjs has no such class, a model that has one
 * loads once the application registers it). Input preprocessing: relevance passes through unchanged (an
 * elementwise map mixes no units), and z^B bounds given for the model input are carried through it to the
 * first linear layer.
 */
export const affinePreprocessAdapter: LayerAdapter = (layer, inputs, builder, name) =>
  builder.add({
    kind: 'structural',
    role: 'preprocess',
    name,
    layerName: name,
    className: layer.getClassName(),
    inputs,
    apply: ([x]) => {
      const y = applyLayer(layer, x);
      if (y.shape.join() !== x.shape.join()) {
        throw layerError(
          name,
          layer,
          `changes the shape (${x.shape} → ${y.shape}); LRP reads it as an elementwise affine map. ` +
            'Register an adapter for it with registerLayerAdapter.',
        );
      }
      return y;
    },
    propagate: (r) => [r],
  });
