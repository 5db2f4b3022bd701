/**
 * ONNX's protobuf messages, decoded by protobufjs from the official `onnx.proto` (onnx 1.12,
 * IR version 8; committed beside this file as `onnx.proto`, and as `onnx-proto.json`, its
 * protobufjs descriptor: `protobuf.parse(text, { keepCase: true }).root.toJSON()`). Only the
 * fields ConvScope reads are typed here. Tensor data (`raw_data`) is decoded as a view into the
 * file's bytes, never copied, so a 244 MB AlexNet costs its topology only.
 */
import descriptor from './onnx-proto.json';

/** protobufjs' 64-bit integers: a `Long` when the `long` package is present, else a number. */
export type Int64 = number | { toNumber(): number };

export interface TensorProto {
  readonly name?: string;
  readonly dims?: readonly Int64[];
  readonly data_type?: number;
  readonly raw_data?: Uint8Array;
  readonly int64_data?: readonly Int64[];
  readonly int32_data?: readonly number[];
  readonly float_data?: readonly number[];
  readonly data_location?: number;
}

export interface AttributeProto {
  readonly name?: string;
  readonly type?: number;
  readonly f?: number;
  readonly i?: Int64;
  readonly s?: Uint8Array;
  readonly t?: TensorProto;
  readonly floats?: readonly number[];
  readonly ints?: readonly Int64[];
}

export interface NodeProto {
  readonly input?: readonly string[];
  readonly output?: readonly string[];
  readonly name?: string;
  readonly op_type?: string;
  readonly domain?: string;
  readonly attribute?: readonly AttributeProto[];
}

export interface ValueInfoProto {
  readonly name?: string;
  readonly type?: {
    readonly tensor_type?: {
      readonly elem_type?: number;
      readonly shape?: { readonly dim?: readonly { dim_value?: Int64; dim_param?: string }[] };
    };
  };
}

export interface GraphProto {
  readonly name?: string;
  readonly node?: readonly NodeProto[];
  readonly initializer?: readonly TensorProto[];
  readonly input?: readonly ValueInfoProto[];
  readonly output?: readonly ValueInfoProto[];
}

export interface ModelProto {
  readonly ir_version?: Int64;
  readonly producer_name?: string;
  readonly producer_version?: string;
  readonly opset_import?: readonly { domain?: string; version?: Int64 }[];
  readonly graph?: GraphProto;
}

/** ONNX TensorProto.DataType values ConvScope reads. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, FLOAT16: 10, DOUBLE: 11, BFLOAT16: 16 } as const;

/** A number from a protobuf int64 (exact below 2⁵³, which every size in a model is). */
export function toNumber(value: Int64 | undefined): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/**
 * Decodes an ONNX model. protobufjs is loaded on first use (a dynamic import), so the app's
 * initial script does not carry it. Throws protobufjs' error on bytes that are not a ModelProto.
 */
export async function decodeModel(bytes: Uint8Array): Promise<ModelProto> {
  const protobuf = await import('protobufjs/light');
  const root = (protobuf.default ?? protobuf).Root.fromJSON(descriptor);
  return root.lookupType('onnx.ModelProto').decode(bytes) as unknown as ModelProto;
}
