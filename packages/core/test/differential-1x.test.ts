/** The differential test against synaptic 1.1.4, 200 steps per fixture; differential-1x.slow.test.ts runs 1,000. */
import { differentialSuites } from './support/differential.js';

differentialSuites(200);
