import { describe, expect, it } from 'vitest';
import { dragAnnouncements } from '../../src/ui/layers/drag-announcements';

const layers = ['input', 'conv1', 'conv2', 'pool', 'flatten', 'dense', 'out'];
const node = (id: string) => ({ id }) as never;

describe('drag announcements say where the layer went, in the list’s words', () => {
  it('a layer moved down is below its target, with its new place', () => {
    const a = dragAnnouncements(() => layers);
    expect(a.onDragStart({ active: node('conv1') })).toBe('Picked up conv1, layer 2 of 7.');
    // The library reports the picked row under itself at once: not a move.
    expect(a.onDragOver({ active: node('conv1'), over: node('conv1') })).toBeUndefined();
    expect(a.onDragOver({ active: node('conv1'), over: node('conv2') })).toBe(
      'conv1 is over conv2: dropping it here puts it below conv2, as layer 3 of 7.',
    );
    expect(a.onDragEnd({ active: node('conv1'), over: node('conv2') })).toBe(
      'conv1 moved below conv2, now layer 3 of 7.',
    );
  });

  it('a layer moved up is above its target; the order read at pick-up holds even if the list changed before the drop is announced', () => {
    let order = layers;
    const a = dragAnnouncements(() => order);
    a.onDragStart({ active: node('conv2') });
    order = ['input', 'conv2', 'conv1', 'pool', 'flatten', 'dense', 'out'];
    expect(a.onDragEnd({ active: node('conv2'), over: node('conv1') })).toBe(
      'conv2 moved above conv1, now layer 2 of 7.',
    );
  });

  it('dropping in place and cancelling say the layer stays', () => {
    const a = dragAnnouncements(() => layers);
    a.onDragStart({ active: node('pool') });
    expect(a.onDragEnd({ active: node('pool'), over: node('pool') })).toBe('pool dropped where it was, layer 4 of 7.');
    a.onDragStart({ active: node('pool') });
    expect(a.onDragCancel({ active: node('pool'), over: null })).toBe('Move cancelled: pool stays layer 4 of 7.');
  });
});
