import { validateModel, type RankModel } from './model.js';
import model from './model.json' with { type: 'json' };

/** The model `npm run train` last wrote (`model.json`), checked once when the engine is loaded. */
export const DEFAULT_MODEL: RankModel = validateModel(model);
