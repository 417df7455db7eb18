import { describe, expect, it } from 'vitest';
import { decodeManifest, encodeManifest, type IndexState } from '../../src/serving/manifest.js';

const state: IndexState = {
  records: new Map([
    ['data\0bridge.md', { size: 120, mtimeMs: 1_700_000_000_000.25, hash: 'aa', problems: [] }],
    [
      'data\0broken.md',
      { size: 9, mtimeMs: 1, hash: 'bb', problems: [{ file: 'broken.md', line: 2, message: 'no title' }] },
    ],
    ['imported\0ferry.md', { size: 80, mtimeMs: 2, hash: 'cc', problems: [] }],
  ]),
  served: new Map([
    ['bridge', { key: 'data\0bridge.md', hash: 'aa', segment: 's1' }],
    ['ferry', { key: 'imported\0ferry.md', hash: 'cc', segment: 's3' }],
  ]),
  segments: [
    { id: 's1', slugs: ['bridge', 'old'], deleted: new Set(['old']) },
    { id: 's3', slugs: ['ferry'], deleted: new Set() },
  ],
  skipped: [{ file: 'imports/x.md', line: 0, message: 'duplicate slug' }],
  fingerprint: 'f00d',
  next: 4,
};

describe('the manifest', () => {
  it('gives back the state it was made from: the segments at once, the files when asked', () => {
    const saved = decodeManifest(encodeManifest(state));
    expect(saved).not.toBeNull();
    const { files, ...segments } = saved as NonNullable<typeof saved>;
    expect(segments).toEqual({ segments: state.segments, skipped: state.skipped, fingerprint: 'f00d', next: 4 });
    expect(files()).toEqual({ records: state.records, served: state.served });
  });

  it('is not one when it does not have its two parts', () => {
    expect(decodeManifest(encodeManifest(state).slice(0, 1))).toBeNull();
  });
});
