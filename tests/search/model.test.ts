import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/search/defaultModel.js';
import { validateModel } from '../../src/search/model.js';

const copy = (): Record<string, unknown> => structuredClone(DEFAULT_MODEL) as unknown as Record<string, unknown>;

describe('validateModel', () => {
  it('accepts the bundled model as written by npm run train', () => {
    expect(validateModel(copy()).ranking.weights).toEqual(DEFAULT_MODEL.ranking.weights);
  });

  it('names the key that is wrong', () => {
    expect(() => validateModel(null)).toThrow('model. must be an object');
    expect(() => validateModel({ ...copy(), version: 2 })).toThrow('model.version must be 1');
    const shortWeights = copy();
    (shortWeights.ranking as { weights: number[] }).weights = [1, 2];
    expect(() => validateModel(shortWeights)).toThrow(/^model\.ranking\.weights must be \d+ finite numbers$/);
    const renamed = copy();
    (renamed.decision as { features: string[] }).features = ['score'];
    expect(() => validateModel(renamed)).toThrow(
      /model\.decision\.features must name the engine's features in order .*retrain with npm run train/,
    );
    const threshold = copy();
    (threshold.decision as { refuse: number }).refuse = 1;
    expect(() => validateModel(threshold)).toThrow('model.decision.refuse must be between 0 and 1');
    const confident = copy();
    (confident.decision as { confident: number }).confident = 0;
    expect(() => validateModel(confident)).toThrow('model.decision.confident must be from decision.refuse to 1');
    const show = copy();
    (show.short as { show: { threshold: number } }).show.threshold = 2;
    expect(() => validateModel(show)).toThrow('model.short.show.threshold must be between 0 and 1');
  });
});
