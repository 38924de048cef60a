/** The equivalence properties with their full counts: 200 random graphs, 100 switched to the interpreter midway. */
import { equivalenceSuites } from './support/equivalence.js';

equivalenceSuites({ randomGraphs: 200, switched: 100 });
