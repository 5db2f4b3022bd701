import { useId } from 'react';
import { isFrozen } from '../../engine/model/model';
import { useAppStore } from '../../state/store';

/**
 * The layer's "Trainable" switch: off freezes it (Keras `trainable=False`, PyTorch
 * `requires_grad_(False)`). Shown for layers with weights, and for any frozen layer so that it
 * can be thawed. One edit, so one undo step.
 */
export function TrainableField({ name, hasWeights }: { name: string; hasWeights: boolean }) {
  const id = useId();
  const edit = useAppStore((s) => s.edit);
  const frozen = useAppStore((s) => {
    const layer = s.model.layers.find((l) => l.name === name);
    return layer ? isFrozen(layer) : false;
  });
  if (!hasWeights && !frozen) return null;
  return (
    <div className="field checkbox trainable-field">
      <label htmlFor={id}>Trainable</label>
      <input
        id={id}
        type="checkbox"
        checked={!frozen}
        onChange={(e) => edit([{ kind: 'trainable', name, trainable: e.target.checked }])}
        aria-describedby={`${id}-doc`}
      />
      <p id={`${id}-doc`} className="field-doc">
        {frozen
          ? 'Frozen: training leaves its weights as they are; they count as non-trainable.'
          : 'Off freezes the layer (a pretrained base): training leaves its weights alone.'}
      </p>
    </div>
  );
}
