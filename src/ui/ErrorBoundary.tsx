import { Component, type ErrorInfo, type ReactNode } from 'react';
import { appStore } from '../state/store';
import { failureText } from './recovery/load-failure';
import { PartFailure } from './recovery/PartFailure';

interface Props {
  /** The part as people name it, to start a sentence: "The Train panel". */
  readonly part: string;
  readonly children: ReactNode;
  /** Called before the part is tried again (a lazy part loads its code anew: lazy-part.ts). */
  readonly onRetry?: () => void;
  /** Given for a part that shows as a dialog: its failure shows as one too, with Close. */
  readonly onClose?: () => void;
}

/**
 * Keeps a part's failure to that part: in its place, what went wrong and a Retry, while the rest
 * of the app keeps working. The failure is also said as an error notice (which an embedding
 * host hears as `convscope:error`).
 */
export class ErrorBoundary extends Component<Props, { error: unknown }> {
  override state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidCatch(error: unknown, _info: ErrorInfo) {
    appStore.getState().notify('error', failureText(this.props.part, error), { topic: this.topic() });
  }

  /** One notice per part: a second failure of the same part replaces the first. */
  private topic(): string {
    return `failure:${this.props.part}`;
  }

  retry = () => {
    this.props.onRetry?.();
    appStore.getState().dismiss(this.topic());
    this.setState({ error: null });
  };

  override render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    return (
      <PartFailure
        error={error}
        part={this.props.part}
        onRetry={this.retry}
        {...(this.props.onClose ? { onClose: this.props.onClose } : {})}
      />
    );
  }
}
