import { crc32 } from 'node:zlib';
import { open, rename, writeFile } from 'node:fs/promises';
import { threadId } from 'node:worker_threads';
import { INDEX_FORMAT } from '../search/engine.js';

/** What reading a snapshot file found, before {@link checkSnapshot} decides whether it is usable. */
export type SnapshotFile =
  | { status: 'missing' }
  | { status: 'unreadable'; reason: string }
  | {
      status: 'read';
      /** Its first line, parsed; `null` when it is not JSON. */
      header: unknown;
      /** Its parts (none when they were handed over as they were read). */
      parts: Uint8Array[];
      /** How many parts it has. */
      count: number;
      /** Whether the file ends inside a part. */
      cutShort: boolean;
      /** The checksum of the parts as read. */
      checksum: string;
    };

/** Whether a snapshot file can be used: its description and parts, or why not. */
export type SnapshotVerdict =
  | { usable: true; meta: SnapshotMeta; parts: Uint8Array[] }
  | {
      usable: false;
      /** What is wrong with the file, to tell once (what it held is then built again); `null` when there is none. */
      problem: string | null;
    };

/** What a snapshot file says of itself: what kind of file it is (a manifest, a segment), and anything else its writer keeps. */
export type SnapshotMeta = { kind: string } & Record<string, unknown>;

/** The description a snapshot file starts with: its meta, its format and its parts' checksum. */
type Header = SnapshotMeta & { format: number; checksum: string };

/** No snapshot: nothing to read. */
export const NO_SNAPSHOT: SnapshotFile = { status: 'missing' };

/**
 * Whether a snapshot file can be used, the one check of every file of the index (its manifest and
 * its segments): it must be in this engine's format ({@link INDEX_FORMAT}), undamaged (its parts'
 * checksum), whole, and say what it is.
 *
 * @example
 * checkSnapshot(await readSnapshot('state/index.snapshot')) // => { usable: true, meta: { kind: 'manifest', … }, parts: [...] }
 */
export function checkSnapshot(snapshot: SnapshotFile): SnapshotVerdict {
  if (snapshot.status === 'missing') return { usable: false, problem: null };
  if (snapshot.status === 'unreadable') return { usable: false, problem: `unreadable (${snapshot.reason})` };
  const header = snapshot.header as Partial<Header> | null;
  if (header?.format !== INDEX_FORMAT) return { usable: false, problem: `stale (not in index format ${INDEX_FORMAT})` };
  if (snapshot.cutShort) return { usable: false, problem: 'corrupt (the file is cut short)' };
  if (typeof header.kind !== 'string') return { usable: false, problem: 'corrupt (its description is missing)' };
  if (snapshot.count === 0 || header.checksum !== snapshot.checksum)
    return { usable: false, problem: 'corrupt (its checksum does not match)' };
  const { format: _format, checksum: _checksum, ...meta } = header as Header;
  return { usable: true, meta, parts: snapshot.parts };
}

/**
 * Saves some encoded parts (a segment's, see `parts.ts`, or a manifest) with what they are,
 * atomically: a crash never leaves half a file. The file is a JSON line (its format, its
 * {@link SnapshotMeta} and its parts' checksum), then each part as a 4-byte length and its bytes.
 */
export async function writeSnapshot(file: string, meta: SnapshotMeta, parts: readonly Uint8Array[]): Promise<void> {
  const header: Header = { format: INDEX_FORMAT, ...meta, checksum: checksumOf(parts) };
  const chunks: Uint8Array[] = [Buffer.from(`${JSON.stringify(header)}\n`)];
  for (const part of parts) {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(part.byteLength);
    chunks.push(length, part);
  }
  const temporary = `${file}.${process.pid}-${threadId}.tmp`;
  await writeFile(temporary, chunks);
  await rename(temporary, file);
}

/**
 * Reads a snapshot file into its header and parts, for {@link checkSnapshot}; never throws. Each
 * part is read into a buffer of its own, which can be moved to another thread as it is. With
 * `onPart`, each part is handed over as soon as it is read and not kept (a segment streamed to the
 * main thread while the rest is still being read): the checksum is known only at the end, and a
 * file found damaged then must have its parts discarded.
 */
export async function readSnapshot(file: string, onPart?: (part: Uint8Array) => void): Promise<SnapshotFile> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? NO_SNAPSHOT : { status: 'unreadable', reason: code };
  }
  try {
    const size = (await handle.stat()).size;
    const head = Buffer.alloc(Math.min(size, HEADER_MAX));
    await handle.read(head, 0, head.length, 0);
    const headerEnd = head.indexOf(10);
    let header: unknown = null;
    try {
      header = JSON.parse(head.subarray(0, Math.max(0, headerEnd)).toString('utf8'));
    } catch {
      // Not this format: checkSnapshot says so.
    }
    const parts: Uint8Array[] = [];
    let count = 0;
    let crc = 0;
    let cutShort = headerEnd < 0;
    const length = Buffer.alloc(4);
    for (let at = headerEnd + 1; !cutShort && at < size;) {
      const partLength =
        at + 4 <= size && (await handle.read(length, 0, 4, at)).bytesRead === 4 ? length.readUInt32LE(0) : Infinity;
      if (at + 4 + partLength > size) {
        cutShort = true;
        break;
      }
      const part = new Uint8Array(partLength);
      await handle.read(part, 0, partLength, at + 4);
      crc = crc32(part, crc);
      count++;
      if (onPart) onPart(part);
      else parts.push(part);
      at += 4 + partLength;
    }
    return { status: 'read', header, parts, count, cutShort, checksum: hex(crc) };
  } catch (error) {
    return { status: 'unreadable', reason: (error as NodeJS.ErrnoException).code ?? 'error' };
  } finally {
    await handle.close();
  }
}

/** Longest header a snapshot file has (its JSON line holds a few names and numbers). */
const HEADER_MAX = 64 * 1024;

/**
 * A CRC-32 of every part's bytes, so a damaged file is caught before anything is decoded: it finds
 * any change a disk or a cut-short copy makes, at the speed of reading memory, and the files are
 * the bot's own, so no one forges one.
 */
function checksumOf(parts: readonly Uint8Array[]): string {
  let crc = 0;
  for (const part of parts) crc = crc32(part, crc);
  return hex(crc);
}

function hex(crc: number): string {
  return crc.toString(16).padStart(8, '0');
}
