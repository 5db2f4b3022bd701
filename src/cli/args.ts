import type { Notation } from '../engine/notation';
import type { Target } from '../io/export';

export const USAGE = `Usage:
  npm run -s cli -- summary FILE [--json] [--notation pytorch|keras]
  npm run -s cli -- export FILE --to pytorch|keras|keras-json [--train-script] [-o OUT]

  FILE            a ConvScope model, Keras JSON (model.to_json()), a TensorFlow.js
                  model.json or an ONNX file; '-' reads standard input
  --json          print the summary as one JSON object
  --notation      shapes as PyTorch (N×C×H×W, out×in×kH×kW; the default) or Keras
                  (N×H×W×C, kH×kW×in×out) in the text table, and parameters
                  counted as each does (PyTorch: batch-norm statistics are buffers)
  --to            pytorch: a PyTorch module whose build_model() returns the model;
                  keras: Keras 3 Python code; keras-json: Keras JSON (model.to_json())
  --train-script  with --to pytorch: also a training script (CIFAR-10 or MNIST, one or
                  many GPUs through torchrun). With -o it is written as train.py beside
                  OUT; without -o it is printed instead of the module (it imports model.py)
  -o OUT          write to OUT instead of standard output

Exit status: 0 done; 1 the model has errors or cannot be expressed in the target (each
problem printed at its layer, nothing written); 2 unreadable input or bad usage.
`;

export interface Options {
  readonly command: 'summary' | 'export';
  readonly file: string;
  readonly json: boolean;
  readonly notation: Notation;
  readonly to?: Exclude<Target, 'train-script'>;
  readonly trainScript: boolean;
  readonly out?: string;
}

/** The options, or a message saying what is wrong ('' for --help). */
export function parseArgs(args: readonly string[]): Options | string {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h') return '';
  if (command !== 'summary' && command !== 'export') return `Unknown command '${command}'.`;
  const o: { -readonly [K in keyof Options]?: Options[K] } = {
    command,
    json: false,
    notation: 'pytorch',
    trainScript: false,
  };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const value = () => (arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[++i]);
    if (arg === '--json') o.json = true;
    else if (arg === '--train-script') o.trainScript = true;
    else if (arg === '--notation' || arg.startsWith('--notation=')) {
      const v = value();
      if (v !== 'pytorch' && v !== 'keras') return `--notation takes 'pytorch' or 'keras', not '${v ?? ''}'.`;
      o.notation = v;
    } else if (arg === '--to' || arg.startsWith('--to=')) {
      const v = value();
      if (v !== 'pytorch' && v !== 'keras' && v !== 'keras-json')
        return `--to takes pytorch, keras or keras-json, not '${v ?? ''}'.`;
      o.to = v;
    } else if (arg === '-o' || arg === '--output' || arg.startsWith('--output=')) {
      const v = value();
      if (!v) return '-o needs a file name.';
      o.out = v;
    } else if (arg.startsWith('-') && arg !== '-') return `Unknown option '${arg}'.`;
    else if (o.file === undefined) o.file = arg;
    else return `One FILE only (got '${o.file}' and '${arg}').`;
  }
  if (o.file === undefined) return `${command} needs a FILE (or - for standard input).`;
  if (command === 'export' && !o.to) return 'export needs --to pytorch, keras or keras-json.';
  if (o.trainScript && o.to !== 'pytorch') return '--train-script goes with --to pytorch.';
  return o as Options;
}
