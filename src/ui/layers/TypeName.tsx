import { Fragment } from 'react';

/**
 * A layer type that wraps between its words when its column is narrow ("Batch" / "Normalization"),
 * not in the middle of one.
 */
export function TypeName({ type }: { readonly type: string }) {
  const words = type.split(/(?<=[a-z])(?=[A-Z][a-z])/);
  return (
    <span className="type">
      {words.map((word, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {word}
        </Fragment>
      ))}
    </span>
  );
}
