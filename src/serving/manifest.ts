import { deserialize, serialize } from 'node:v8';
import type { Problem } from '../content/article.js';
import type { FileRecord } from '../content/loadArticles.js';

/** A segment as the index worker knows it: its articles (by slug) and the ones deleted from it since it was built. */
export interface KnownSegment {
  id: string;
  slugs: string[];
  deleted: Set<string>;
}

/** Where a served article is: its file (see `fileKey`), that file's hash when it was built, and its segment. */
export interface ServedArticle {
  key: string;
  hash: string;
  segment: string;
}

/**
 * What the index worker remembers between jobs, and saves as the manifest: every file's record,
 * where each served article is, the segments, the files skipped, the content's fingerprint, and the
 * number of the next segment.
 */
export interface IndexState {
  records: Map<string, FileRecord>;
  served: Map<string, ServedArticle>;
  segments: KnownSegment[];
  skipped: Problem[];
  fingerprint: string;
  next: number;
}

/**
 * The manifest as saved, in two parts: the segments, and the files in columns (one array per
 * field, so that reading them makes a few arrays of strings and numbers rather than an object per
 * file: at 100,000 files, 0.2 s against 0.6 s). The segments come first so that serving them can
 * begin before the files are decoded.
 */
interface SegmentsPart {
  segments: Array<{ id: string; slugs: string[]; deleted: string[] }>;
  skipped: Problem[];
  fingerprint: string;
  next: number;
}

interface FilesPart {
  files: {
    keys: string[];
    sizes: Float64Array;
    mtimes: Float64Array;
    hashes: string[];
    problems: Array<[number, Problem[]]>;
  };
  /**
   * Each served article's slug, its file (by place in `files`: its hash is the one it was built
   * from, as a reload leaves every record of a served article) and its segment (by place in the
   * segments part).
   */
  served: { slugs: string[]; files: Uint32Array; segments: Uint32Array };
}

/** A saved manifest: its segments at once, the files' records when asked for. */
export type SavedManifest = Omit<IndexState, 'records' | 'served'> & {
  files: () => Pick<IndexState, 'records' | 'served'>;
};

/** The parts of a manifest for `state`, in one pass over its files (100,000 of them at most a few tens of milliseconds). */
export function encodeManifest(state: IndexState): Uint8Array[] {
  const segments: SegmentsPart = {
    segments: state.segments.map((segment) => ({
      id: segment.id,
      slugs: segment.slugs,
      deleted: [...segment.deleted],
    })),
    skipped: state.skipped,
    fingerprint: state.fingerprint,
    next: state.next,
  };
  const count = state.records.size;
  const files: FilesPart['files'] = {
    keys: new Array<string>(count),
    sizes: new Float64Array(count),
    mtimes: new Float64Array(count),
    hashes: new Array<string>(count),
    problems: [],
  };
  const fileAt = new Map<string, number>();
  let i = 0;
  for (const [key, record] of state.records) {
    files.keys[i] = key;
    files.sizes[i] = record.size;
    files.mtimes[i] = record.mtimeMs;
    files.hashes[i] = record.hash;
    if (record.problems.length > 0) files.problems.push([i, record.problems]);
    fileAt.set(key, i++);
  }
  const segmentAt = new Map(state.segments.map((segment, at) => [segment.id, at]));
  const served: FilesPart['served'] = {
    slugs: new Array<string>(state.served.size),
    files: new Uint32Array(state.served.size),
    segments: new Uint32Array(state.served.size),
  };
  i = 0;
  for (const [slug, where] of state.served) {
    served.slugs[i] = slug;
    served.files[i] = fileAt.get(where.key) ?? 0;
    served.segments[i++] = segmentAt.get(where.segment) ?? 0;
  }
  return [serialize(segments), serialize({ files, served } satisfies FilesPart)];
}

/**
 * What a manifest's parts describe; `null` when they are not two.
 *
 * @example
 * const saved = decodeManifest(encodeManifest(state));
 * ({ ...saved, ...saved.files() }) // deep-equal to state, with a `files` function besides
 */
export function decodeManifest(parts: readonly Uint8Array[]): SavedManifest | null {
  const [first, second] = parts;
  if (parts.length !== 2 || !first || !second) return null;
  const { segments, skipped, fingerprint, next } = deserialize(first) as SegmentsPart;
  return {
    segments: segments.map((segment) => ({ id: segment.id, slugs: segment.slugs, deleted: new Set(segment.deleted) })),
    skipped,
    fingerprint,
    next,
    files() {
      const { files, served } = deserialize(second) as FilesPart;
      const problems = new Map(files.problems);
      const records = new Map<string, FileRecord>();
      for (let i = 0; i < files.keys.length; i++)
        records.set(files.keys[i] ?? '', {
          size: files.sizes[i] ?? 0,
          mtimeMs: files.mtimes[i] ?? 0,
          hash: files.hashes[i] ?? '',
          problems: problems.get(i) ?? [],
        });
      const byPlace = new Map<string, ServedArticle>();
      for (let i = 0; i < served.slugs.length; i++) {
        const file = served.files[i] ?? 0;
        byPlace.set(served.slugs[i] ?? '', {
          key: files.keys[file] ?? '',
          hash: files.hashes[file] ?? '',
          segment: segments[served.segments[i] ?? 0]?.id ?? '',
        });
      }
      return { records, served: byPlace };
    },
  };
}
