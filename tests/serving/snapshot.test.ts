import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSnapshot, NO_SNAPSHOT, readSnapshot, writeSnapshot } from '../../src/serving/snapshot.js';
import { INDEX_FORMAT } from '../../src/search/engine.js';

const dir = await mkdtemp(path.join(tmpdir(), 'article-bot-snapshot-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const META = { kind: 'segment', id: 's1' };
const PARTS = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5])];

/** A saved snapshot's path, its bytes changed by `edit`. */
async function saved(name: string, edit: (bytes: Buffer) => Buffer = (bytes) => bytes): Promise<string> {
  const file = path.join(dir, name);
  await writeSnapshot(file, META, PARTS);
  await writeFile(file, edit(await readFile(file)));
  return file;
}

describe('checkSnapshot', () => {
  it('uses a sound file of this format: what it says of itself, and its parts', async () => {
    const verdict = checkSnapshot(await readSnapshot(await saved('same')));
    expect(verdict).toMatchObject({ usable: true, meta: META });
    if (verdict.usable) expect(verdict.parts.map((part) => [...part])).toEqual(PARTS.map((part) => [...part]));
  });

  it('does not use a missing file, without calling that a problem', async () => {
    expect(checkSnapshot(NO_SNAPSHOT)).toEqual({ usable: false, problem: null });
    expect(await readSnapshot(path.join(dir, 'none'))).toEqual(NO_SNAPSHOT);
  });

  it('says why it cannot use a snapshot in another format, damaged, cut short or undescribed', async () => {
    const check = async (name: string, edit: (bytes: Buffer) => Buffer) =>
      checkSnapshot(await readSnapshot(await saved(name, edit)));
    const header = (bytes: Buffer) => bytes.subarray(0, bytes.indexOf(10)).toString();
    const withHeader = (bytes: Buffer, text: string) =>
      Buffer.concat([Buffer.from(text), bytes.subarray(bytes.indexOf(10))]);
    expect(await check('older', (b) => withHeader(b, header(b).replace(`:${INDEX_FORMAT},`, ':1,')))).toEqual({
      usable: false,
      problem: `stale (not in index format ${INDEX_FORMAT})`,
    });
    expect(await check('legacy', (b) => withHeader(b, 'article-qa-bot index v7 0123456789abcdef'))).toMatchObject({
      problem: `stale (not in index format ${INDEX_FORMAT})`,
    });
    expect(await check('flipped', (b) => Buffer.concat([b.subarray(0, -1), Buffer.from([0xff])]))).toMatchObject({
      problem: 'corrupt (its checksum does not match)',
    });
    expect(await check('cut', (b) => b.subarray(0, -1))).toMatchObject({ problem: 'corrupt (the file is cut short)' });
    expect(
      await check('undescribed', (b) => withHeader(b, JSON.stringify({ format: INDEX_FORMAT, checksum: 'x' }))),
    ).toMatchObject({ problem: 'corrupt (its description is missing)' });
  });
});
