/** architect against synaptic 1.1.4, every case: all 16 LSTM option combinations per peephole type, every Liquid shape. */
import { differentialSuites } from './support/differential.js';

differentialSuites('full');
