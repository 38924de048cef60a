/** The compiled differential test against synaptic 1.1.4 over 1,000 steps per fixture. */
import { differentialSuites } from './support/differential.js';

differentialSuites(1000);
