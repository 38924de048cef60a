/** How a layer projects onto another (values are 1.x's strings, which 1.x code compares against). */
export const connectionType = Object.freeze({
  ALL_TO_ALL: 'ALL TO ALL',
  ONE_TO_ONE: 'ONE TO ONE',
  ALL_TO_ELSE: 'ALL TO ELSE',
} as const);
export type ConnectionType = (typeof connectionType)[keyof typeof connectionType];

/**
 * How a gater layer gates a projection: INPUT, gater unit j gates the connections entering
 * unit j of the target layer; OUTPUT, those leaving unit j of the source layer; ONE_TO_ONE,
 * gater unit j gates the projection's j-th connection.
 */
export const gateType = Object.freeze({
  INPUT: 'INPUT',
  OUTPUT: 'OUTPUT',
  ONE_TO_ONE: 'ONE TO ONE',
} as const);
export type GateType = (typeof gateType)[keyof typeof gateType];

export const CONNECTION_TYPES: readonly string[] = Object.values(connectionType);
export const GATE_TYPES: readonly string[] = Object.values(gateType);
