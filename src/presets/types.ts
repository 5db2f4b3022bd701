/** A layer as written in a project file: name, optional wiring, then the kind's fields. */
export type FileLayer = {
  readonly name: string;
  readonly type: string;
  readonly inputs?: readonly string[];
} & Readonly<Record<string, unknown>>;

/** A project file, as the presets write it (see docs/model-format.md). */
export interface ProjectFile {
  readonly format: 'convscope.model';
  readonly version: 1;
  readonly name: string;
  readonly description: string;
  readonly dataFormat: 'channels_last' | 'channels_first';
  readonly layers: readonly FileLayer[];
}

export function projectFile(
  name: string,
  description: string,
  layers: readonly FileLayer[],
  dataFormat: ProjectFile['dataFormat'] = 'channels_last',
): ProjectFile {
  return { format: 'convscope.model', version: 1, name, description, dataFormat, layers };
}
