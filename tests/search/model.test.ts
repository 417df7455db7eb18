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
    (renamed.covered as { features: string[] }).features = ['score'];
    expect(() => validateModel(renamed)).toThrow(
      /model\.covered\.features must name the engine's features in order .*retrain with npm run train/,
    );
    const threshold = copy();
    (threshold.covered as { threshold: number }).threshold = 1;
    expect(() => validateModel(threshold)).toThrow('model.covered.threshold must be between 0 and 1');
  });
});
