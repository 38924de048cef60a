/**
 * `synaptic`: the command line of the synaptic packages (the package's bin). See README.md.
 *
 * This entry only turns on source maps for --debug, so that stack traces name the TypeScript
 * sources, and then loads the command line itself (main.js): Node applies source maps only to
 * modules loaded after they are enabled.
 */
if (process.argv.includes('--debug') || process.env.SYNAPTIC_DEBUG === '1') process.setSourceMapsEnabled(true);

await import(new URL('./main.js', import.meta.url).href);

export {};
