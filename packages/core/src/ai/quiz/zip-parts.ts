import { crc32 } from "node:zlib";
import yauzl from "yauzl";
import { ArchiveLimitError, UnreadableFileError } from "../../errors.js";
import { formatBytes } from "./source-limits.js";

/**
 * ZIP archives (Word documents) read under a real byte cap. yauzl walks the
 * central directory and inflates each entry through node:zlib streams, so
 * the inflating runs on libuv's thread pool, not on the event loop every
 * academy shares, and a measured entry is a stream of 16 KiB chunks that are
 * counted and dropped: memory stays flat however far a bomb would inflate.
 *
 * Two passes. The first counts the bytes each entry really inflates to (the
 * sizes an archive declares are ignored) and stops at the cap. Only then does
 * the second keep the parts a reader needs, and `storedZip` writes them into
 * a new, uncompressed archive: the library that reads it afterwards (mammoth,
 * through JSZip, which walks a directory its own way) sees exactly the bytes
 * that were counted, and nothing a second parser could find in the original.
 */

export interface ZipPart {
  readonly name: string;
  readonly data: Buffer;
}

const NOT_A_ZIP = "The file is not a readable Word document (.docx): it is corrupt or truncated.";

async function openZip(bytes: Uint8Array): Promise<yauzl.ZipFile> {
  try {
    return await yauzl.fromBufferPromise(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length),
      {
        lazyEntries: true,
        validateEntrySizes: false,
        strictFileNames: false,
      },
    );
  } catch (error) {
    throw new UnreadableFileError(NOT_A_ZIP, { cause: error });
  }
}

/** Each entry's inflated bytes, chunk by chunk, to `take`; it returns false to stop the archive. */
async function eachEntry(
  bytes: Uint8Array,
  take: (name: string, chunk: Buffer) => boolean,
  wanted: (name: string) => boolean = () => true,
): Promise<void> {
  const zip = await openZip(bytes);
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith("/") || !wanted(entry.fileName)) continue;
      const stream = await zip.openReadStreamPromise(entry);
      try {
        for await (const chunk of stream) {
          if (!take(entry.fileName, chunk as Buffer)) return;
        }
      } finally {
        stream.destroy();
      }
    }
  } catch (error) {
    if (error instanceof ArchiveLimitError) throw error;
    throw new UnreadableFileError(NOT_A_ZIP, { cause: error });
  } finally {
    zip.close();
  }
}

/**
 * The names of an archive's entries, once every entry has been inflated and
 * counted: an {@link ArchiveLimitError} (422) as soon as the bytes really
 * inflated pass `maxBytes`, whatever the archive declares.
 */
export async function measureZip(bytes: Uint8Array, maxBytes: number): Promise<string[]> {
  const names = new Set<string>();
  let total = 0;
  let over = false;
  await eachEntry(bytes, (name, chunk) => {
    names.add(name);
    total += chunk.length;
    over = total > maxBytes;
    return !over;
  });
  if (over) {
    throw new ArchiveLimitError(
      `The document unpacks to more than ${formatBytes(maxBytes)} (counted as it was unpacked; it declares less, or is simply too large), the most that is read. If it is a real document, remove its images or split it.`,
    );
  }
  return [...names];
}

/** The entries `wanted` picks, inflated (call `measureZip` first: this holds them in memory). */
export async function readZipParts(
  bytes: Uint8Array,
  wanted: (name: string) => boolean,
): Promise<ZipPart[]> {
  const chunks = new Map<string, Buffer[]>();
  await eachEntry(
    bytes,
    (name, chunk) => {
      const list = chunks.get(name) ?? [];
      list.push(chunk);
      chunks.set(name, list);
      return true;
    },
    wanted,
  );
  return [...chunks].map(([name, list]) => ({ name, data: Buffer.concat(list) }));
}

/** A ZIP of `parts`, stored without compression (what a reader of it inflates is what is here). */
export function storedZip(parts: readonly ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, "utf8");
    const crc = crc32(part.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(part.data.length, 18);
    local.writeUInt32LE(part.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(part.data.length, 20);
    header.writeUInt32LE(part.data.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    locals.push(local, name, part.data);
    central.push(header, name);
    offset += local.length + name.length + part.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
