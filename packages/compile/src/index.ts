export {
  compile,
  optimize,
  canGenerateCode,
  CompiledNetwork,
  CompiledExecutor,
  setCodeGenerationAllowed,
  type CompileOptions,
} from './compile.js';
export { standalone, bundleSource, CompileError, type StandaloneOptions } from './bundle.js';
