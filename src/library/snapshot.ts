import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { Problem } from '../content/article.js';
import { DATA_VERSION } from '../search/engine.js';

/** Which content a snapshot was built from. */
export interface SnapshotMeta {
  /** The files' names, sizes and modification times (see `contentStamp`). */
  stamp: string;
  /** A hash of the files' bytes (see `loadArticles`). */
  fingerprint: string;
  /** The imported files left out of it, and why. */
  skipped: Problem[];
}

/** What reading a snapshot file found. */
export type SnapshotRead =
  | ({ status: 'ok'; parts: Uint8Array[] } & SnapshotMeta)
  | { status: 'missing' }
  | { status: 'stale' | 'corrupt' | 'unreadable'; reason: string };

/**
 * A hash of the code that decides what the index holds (the engine's sources and model, and
 * natural's version): editing the analysis, even without bumping DATA_VERSION, rebuilds the index.
 */
const ENGINE_FINGERPRINT = ((): string => {
  const hash = createHash('sha256');
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'search');
  for (const name of readdirSync(dir)
    .filter((file) => /\.(?:[jt]s|json)$/.test(file))
    .sort())
    hash.update(`${name}\0${readFileSync(path.join(dir, name), 'utf8')}\0`);
  hash.update(String((createRequire(import.meta.url)('natural/package.json') as { version: string }).version));
  return hash.digest('hex').slice(0, 16);
})();

/** The first line of a snapshot file: which format and which engine code wrote it. */
const HEADER = `article-qa-bot index v${DATA_VERSION} ${ENGINE_FINGERPRINT}\n`;

/**
 * Saves the encoded parts of a built index (see `parts.ts`) with the content they came from,
 * atomically: a crash never leaves half a file. The file is the header line, a JSON line of
 * {@link SnapshotMeta} and a checksum, then each part as a 4-byte length and its bytes.
 */
export async function writeSnapshot(file: string, meta: SnapshotMeta, parts: readonly Uint8Array[]): Promise<void> {
  const checksum = checksumOf(parts);
  const chunks: Uint8Array[] = [Buffer.from(`${HEADER}${JSON.stringify({ ...meta, checksum })}\n`)];
  for (const part of parts) {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(part.byteLength);
    chunks.push(length, part);
  }
  const temporary = `${file}.${process.pid}-${threadId}.tmp`;
  await writeFile(temporary, chunks);
  await rename(temporary, file);
}

/** Reads a snapshot file back into its parts; never throws: a bad file is a reason to rebuild. */
export async function readSnapshot(file: string): Promise<SnapshotRead> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' ? { status: 'missing' } : { status: 'unreadable', reason: code };
  }
  const headerEnd = bytes.indexOf(10);
  if (bytes.subarray(0, headerEnd + 1).toString('utf8') !== HEADER)
    return { status: 'stale', reason: 'written by another version of the engine' };
  const metaEnd = bytes.indexOf(10, headerEnd + 1);
  try {
    const meta = JSON.parse(bytes.subarray(headerEnd + 1, metaEnd).toString('utf8')) as SnapshotMeta & {
      checksum: string;
    };
    const parts: Uint8Array[] = [];
    for (let at = metaEnd + 1; at < bytes.length;) {
      const length = bytes.readUInt32LE(at);
      if (at + 4 + length > bytes.length) return { status: 'corrupt', reason: 'the file is cut short' };
      parts.push(bytes.subarray(at + 4, at + 4 + length));
      at += 4 + length;
    }
    if (
      typeof meta.stamp !== 'string' ||
      typeof meta.fingerprint !== 'string' ||
      !Array.isArray(meta.skipped) ||
      parts.length === 0
    )
      return { status: 'corrupt', reason: 'its description is missing' };
    if (checksumOf(parts) !== meta.checksum) return { status: 'corrupt', reason: 'its checksum does not match' };
    return { status: 'ok', stamp: meta.stamp, fingerprint: meta.fingerprint, skipped: meta.skipped, parts };
  } catch {
    return { status: 'corrupt', reason: 'it cannot be parsed' };
  }
}

/** A hash of every part's bytes, so a damaged file is caught before anything is decoded. */
function checksumOf(parts: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}
