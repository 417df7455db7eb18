import { loadLexicon } from '../../src/language/lexicon.js';
import { loadReader } from '../../src/language/reader.js';
import { heldOutCalibration } from '../calibration.js';

/*
 * The decision's calibration on the held-out parts (issue 26): SQuAD's held-out articles and the
 * held-out titles of Natural Questions (QED, CLAPNQ), each graded, with a reliability diagram of
 * each written to bench/results/.
 */
console.log(JSON.stringify(heldOutCalibration({ lexicon: loadLexicon(), reader: loadReader() })));
