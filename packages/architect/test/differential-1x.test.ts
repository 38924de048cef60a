/**
 * architect's networks against synaptic 1.1.4's Architect, built under the same seeded Math.random:
 * identical JSON, identical outputs and trained weights. A cross-section of the cases: every
 * perceptron and Hopfield case, the LSTM with no option and with all four for each peephole type,
 * the smaller Liquid shapes. Every combination is in differential-1x.slow.test.ts.
 */
import { differentialSuites } from './support/differential.js';

differentialSuites('sample');
