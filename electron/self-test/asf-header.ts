// The smallest well-formed ASF file start the self-test responders hand out: a Header Object holding a File
// Properties Object and an empty Header Extension Object (the two the ASF specification requires besides
// stream properties, which a stream with no media does not need), then the Data Object's fixed 50 bytes.
// Layouts: Advanced Systems Format (ASF) Specification, rev. 01.20.05, sections 3.1, 3.2, 3.4 and 5.1.
// GUIDs are written in their on-disk byte order.

const HEADER_OBJECT = '3026b2758e66cf11a6d900aa0062ce6c';
const FILE_PROPERTIES_OBJECT = 'a1dcab8c47a9cf118ee400c00c205365';
const HEADER_EXTENSION_OBJECT = 'b503bf5f2ea9cf118ee300c00c205365';
const HEADER_EXTENSION_RESERVED_1 = '11d2d3abbaa9cf118ee600c00c205365';
const DATA_OBJECT = '3626b2758e66cf11a6d900aa0062ce6c';
/** Any fixed file id: there is no file behind it. */
const FILE_ID = '5d9e1b2a6c3f4e0b8a7d9c1e2f3a4b5c';

const FILE_PROPERTIES_BYTES = 104;
const HEADER_EXTENSION_BYTES = 46;
const HEADER_OBJECT_FIXED_BYTES = 30;
export const DATA_OBJECT_HEAD_BYTES = 50;
/** The packet size a live Windows Media stream commonly uses. */
export const SELF_TEST_PACKET_BYTES = 1444;

const guid = (hex: string): Buffer => Buffer.from(hex, 'hex');

function fileProperties(): Buffer {
  const object = Buffer.alloc(FILE_PROPERTIES_BYTES);
  guid(FILE_PROPERTIES_OBJECT).copy(object, 0);
  object.writeBigUInt64LE(BigInt(FILE_PROPERTIES_BYTES), 16);
  guid(FILE_ID).copy(object, 24);
  // File size, creation date, packet count, play and send duration, preroll: 0 — a live broadcast.
  object.writeUInt32LE(0x01, 88); // flags: broadcast
  object.writeUInt32LE(SELF_TEST_PACKET_BYTES, 92); // minimum data packet size
  object.writeUInt32LE(SELF_TEST_PACKET_BYTES, 96); // maximum data packet size (equal, as ASF requires)
  object.writeUInt32LE(0, 100); // maximum bitrate
  return object;
}

function headerExtension(): Buffer {
  const object = Buffer.alloc(HEADER_EXTENSION_BYTES);
  guid(HEADER_EXTENSION_OBJECT).copy(object, 0);
  object.writeBigUInt64LE(BigInt(HEADER_EXTENSION_BYTES), 16);
  guid(HEADER_EXTENSION_RESERVED_1).copy(object, 24);
  object.writeUInt16LE(6, 40); // reserved field 2: always 6
  object.writeUInt32LE(0, 42); // no extension data
  return object;
}

/** The ASF Header Object. */
export function selfTestAsfHeader(): Buffer {
  const children = [fileProperties(), headerExtension()];
  const size = HEADER_OBJECT_FIXED_BYTES + children.reduce((sum, child) => sum + child.length, 0);
  const fixed = Buffer.alloc(HEADER_OBJECT_FIXED_BYTES);
  guid(HEADER_OBJECT).copy(fixed, 0);
  fixed.writeBigUInt64LE(BigInt(size), 16);
  fixed.writeUInt32LE(children.length, 24);
  fixed[28] = 0x01; // reserved 1
  fixed[29] = 0x02; // reserved 2
  return Buffer.concat([fixed, ...children]);
}

/** Header Object + the Data Object's fixed start: what an ASF file begins with, and what MMSH and RTSP carry. */
export function selfTestAsfFileStart(): Buffer {
  const data = Buffer.alloc(DATA_OBJECT_HEAD_BYTES);
  guid(DATA_OBJECT).copy(data, 0);
  data.writeBigUInt64LE(BigInt(DATA_OBJECT_HEAD_BYTES), 16); // no packets follow
  guid(FILE_ID).copy(data, 24);
  data.writeBigUInt64LE(0n, 40);
  data.writeUInt16LE(0x0101, 48); // reserved: always 0x0101
  return Buffer.concat([selfTestAsfHeader(), data]);
}
