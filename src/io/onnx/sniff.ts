/**
 * True when `bytes` look like an ONNX model: a protobuf ModelProto begins with field 1
 * (`ir_version`, a varint: tag byte 0x08) holding a small IR version (3 to 12 so far), which no
 * JSON, zip or HDF5 file does. The file name is not needed.
 */
export function isOnnxBytes(bytes: Uint8Array): boolean {
  const version = bytes[1];
  return bytes[0] === 0x08 && version !== undefined && version >= 1 && version <= 32;
}
