import type { ChangeEvent, DragEvent } from 'react';
import { useAppStore } from '../../../state/store';
import type { SampleImage } from '../../../viz/samples';
import { pictureFromFile } from '../../../viz/field-heat';

export type Picked =
  | { readonly kind: 'sample'; readonly set: 'auto' | 'mnist' | 'cifar'; readonly index: number }
  | { readonly kind: 'file'; readonly image: SampleImage };

const CIFAR_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

interface Props {
  readonly picked: Picked;
  /** The model reads colour: CIFAR-10 first. */
  readonly colour: boolean;
  readonly onPick: (picked: Picked) => void;
}

/** Which picture to run: a real MNIST digit, a real CIFAR-10 image, or the user's own (pick or drop). */
export function PicturePicker({ picked, colour, onPick }: Props) {
  const notify = useAppStore((s) => s.notify);
  const value =
    picked.kind === 'file'
      ? 'file'
      : picked.set === 'auto'
        ? colour
          ? 'cifar:3'
          : 'mnist:7'
        : `${picked.set}:${picked.index}`;
  const open = async (file: File | undefined) => {
    if (!file) return;
    try {
      onPick({ kind: 'file', image: { ...(await pictureFromFile(file)), label: 'your picture' } });
    } catch {
      notify('error', `${file.name} is not a picture this browser can read (PNG, JPEG, GIF or WebP).`);
    }
  };
  const onSelect = (e: ChangeEvent<HTMLSelectElement>) => {
    const [set, index] = e.target.value.split(':');
    if (set === 'mnist' || set === 'cifar') onPick({ kind: 'sample', set, index: Number(index) });
  };
  const digits = Array.from({ length: 10 }, (_, d) => (
    <option key={`m${d}`} value={`mnist:${d}`}>
      MNIST digit {d}
    </option>
  ));
  const images = CIFAR_CLASSES.map((c, i) => (
    <option key={`c${i}`} value={`cifar:${i}`}>
      CIFAR-10 {c}
    </option>
  ));
  return (
    <div
      className="picture-picker"
      onDragOver={(e: DragEvent) => e.preventDefault()}
      onDrop={(e: DragEvent) => {
        e.preventDefault();
        e.stopPropagation();
        void open(e.dataTransfer.files[0]);
      }}
    >
      <label className="compact-select">
        <span>Picture</span>
        <select value={value} onChange={onSelect}>
          {picked.kind === 'file' && <option value="file">{picked.image.label}</option>}
          {colour ? [...images, ...digits] : [...digits, ...images]}
        </select>
      </label>
      <label className="file-pick">
        <span>Your own picture (or drop one here)</span>
        <input type="file" accept="image/*" onChange={(e) => void open(e.target.files?.[0])} />
      </label>
    </div>
  );
}
