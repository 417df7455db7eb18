import MiniSearch from 'minisearch';
import { describe, expect, it, vi } from 'vitest';
import { indexToData, MINISEARCH_SERIALIZATION } from '../../src/search/indexData.js';

const OPTIONS = { fields: ['title', 'text'] };
const DOCS = [
  { id: 0, title: 'Harbour bridge', text: 'The bridge reopened after repairs to its steel cables' },
  { id: 1, title: 'Ferry timetable', text: 'The ferry leaves the harbour at nine' },
  { id: 2, title: '', text: 'Cables and ferries and bridges' },
];

/** Each term's postings from the data, as term → field → document → frequency. */
function postingsOf(data: ReturnType<typeof indexToData>): Record<string, Record<string, Record<string, number>>> {
  const terms: Record<string, Record<string, Record<string, number>>> = {};
  for (const block of data.blocks) {
    let at = 0;
    for (const term of block.terms) {
      const byField: Record<string, Record<string, number>> = {};
      for (let fields = block.postings[at++] ?? 0; fields > 0; fields--) {
        const field = block.postings[at++] ?? 0;
        const docs: Record<string, number> = {};
        for (let count = block.postings[at++] ?? 0; count > 0; count--, at += 2)
          docs[block.postings[at] ?? 0] = block.postings[at + 1] ?? 0;
        byField[field] = docs;
      }
      terms[term] = byField;
    }
  }
  return terms;
}

describe('a MiniSearch index as typed arrays', () => {
  it('holds exactly what MiniSearch serializes, across several blocks', () => {
    const index = new MiniSearch(OPTIONS);
    index.addAll(DOCS);
    const data = indexToData(index, 8);
    expect(data.blocks.length).toBeGreaterThan(2);
    const json = index.toJSON();
    expect(postingsOf(data)).toEqual(Object.fromEntries(json.index));
    expect(data).toMatchObject({
      documentCount: 3,
      fields: ['title', 'text'],
      averageFieldLength: json.averageFieldLength,
    });
    expect([...data.fieldLength]).toEqual(Object.values(json.fieldLength).flat());
  });

  it('refuses an index whose documents are not numbered 0, 1, 2… in order, or had one removed', () => {
    const renumbered = new MiniSearch(OPTIONS);
    renumbered.addAll([{ ...DOCS[0], id: 5 }]);
    expect(() => indexToData(renumbered)).toThrow('needs documents numbered 0, 1, 2…');
    const removed = new MiniSearch(OPTIONS);
    removed.addAll(DOCS);
    removed.discard(1);
    expect(() => indexToData(removed)).toThrow('needs documents numbered 0, 1, 2…');
  });

  it('refuses a MiniSearch that serializes in another version, rather than misreading it', () => {
    const index = new MiniSearch(OPTIONS);
    index.addAll(DOCS);
    vi.spyOn(index, 'toJSON').mockReturnValue({
      ...index.toJSON(),
      serializationVersion: MINISEARCH_SERIALIZATION + 1,
    });
    expect(() => indexToData(index)).toThrow(`in version ${MINISEARCH_SERIALIZATION + 1}, not 2`);
  });
});
