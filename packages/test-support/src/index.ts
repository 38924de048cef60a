/** Test helpers shared by the packages (private; resolved by the test alias, never published). */
export * from './oracle.js';
export * from './synaptic1x.js';
export * from './random-graph.js';
export * from './episode.js';
