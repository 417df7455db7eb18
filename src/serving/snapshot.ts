import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
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
      parts: Uint8Array[];
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
  if (snapshot.parts.length === 0 || header.checksum !== snapshot.checksum)
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

/** Reads a snapshot file into its header and parts, for {@link checkSnapshot}; never throws. */
export async function readSnapshot(file: string): Promise<SnapshotFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? NO_SNAPSHOT : { status: 'unreadable', reason: code };
  }
  const headerEnd = bytes.indexOf(10);
  let header: unknown = null;
  try {
    header = JSON.parse(bytes.subarray(0, Math.max(0, headerEnd)).toString('utf8'));
  } catch {
    // Not this format: checkSnapshot says so.
  }
  const parts: Uint8Array[] = [];
  let cutShort = headerEnd < 0;
  for (let at = headerEnd + 1; !cutShort && at < bytes.length;) {
    const length = at + 4 <= bytes.length ? bytes.readUInt32LE(at) : Infinity;
    if (at + 4 + length > bytes.length) cutShort = true;
    else parts.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return { status: 'read', header, parts, cutShort, checksum: checksumOf(parts) };
}

/** A hash of every part's bytes, so a damaged file is caught before anything is decoded. */
function checksumOf(parts: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}
