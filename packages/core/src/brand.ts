/** Tags that let modules recognise each other's objects without importing each other (no cycles). */
export const NETWORK = Symbol.for('synaptic.network');
export const LAYER = Symbol.for('synaptic.layer');
