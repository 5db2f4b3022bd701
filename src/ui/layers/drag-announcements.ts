import type { Announcements, ScreenReaderInstructions } from '@dnd-kit/core';

/** What a screen reader hears when a row is picked up: how to move it with the keyboard. */
export const dragInstructions: ScreenReaderInstructions = {
  draggable: 'To move a layer, press Space, then the arrow keys; Space again drops it, Escape cancels.',
};

type Id = string | number;

/**
 * Drag-and-drop announcements in the list's own words ("conv2 moved below conv1, now layer 3
 * of 7") instead of the drag library's ("Draggable item conv2 was dropped over droppable area
 * conv1"). `names` reads the layer order; it is kept from the pick-up to the drop, since the
 * list may already be reordered when the drop is announced. A drop on `over` puts the dragged
 * layer at `over`'s index, as the list's move does.
 */
export function dragAnnouncements(names: () => readonly string[]): Announcements {
  let picked: readonly string[] | null = null;
  // The library reports the row under the picked one at once: that is no move to announce.
  let lastOver: Id | undefined;
  const place = (active: Id, over: Id | undefined) => {
    const list = picked ?? names();
    const from = list.indexOf(String(active));
    const to = over === undefined ? from : list.indexOf(String(over));
    return { from, to: to < 0 ? from : to, count: list.length };
  };
  const of = (index: number, count: number) => `layer ${index + 1} of ${count}`;
  const relation = (from: number, to: number) => (to > from ? 'below' : 'above');
  return {
    onDragStart: ({ active }) => {
      picked = names();
      lastOver = active.id;
      const { from, count } = place(active.id, undefined);
      return `Picked up ${active.id}, ${of(from, count)}.`;
    },
    onDragOver: ({ active, over }) => {
      if (over?.id === lastOver) return undefined;
      lastOver = over?.id;
      const { from, to, count } = place(active.id, over?.id);
      if (!over || from === to) return `${active.id} is back at ${of(from, count)}.`;
      return `${active.id} is over ${over.id}: dropping it here puts it ${relation(from, to)} ${over.id}, as ${of(to, count)}.`;
    },
    onDragEnd: ({ active, over }) => {
      const { from, to, count } = place(active.id, over?.id);
      picked = null;
      if (!over || from === to) return `${active.id} dropped where it was, ${of(from, count)}.`;
      return `${active.id} moved ${relation(from, to)} ${over.id}, now ${of(to, count)}.`;
    },
    onDragCancel: ({ active }) => {
      const { from, count } = place(active.id, undefined);
      picked = null;
      return `Move cancelled: ${active.id} stays ${of(from, count)}.`;
    },
  };
}
