// @ts-check
/**
 * The direction of the dependencies between the folders of src/, as lint rules (see
 * docs/ARCHITECTURE.md): each folder may import itself, packages, and the folders listed for it.
 * Kept apart from eslint.config.js so that src/layers.test.ts can run these rules alone.
 */

/** Each folder of src/ and the folders it may import. */
export const LAYERS = {
  // Runtime-agnostic: the state machine and the contracts it drives.
  core: [],
  // The page<->worker wire protocol (control messages, cache events).
  protocol: ['core'],
  eviction: ['core'],
  lock: ['core'],
  // Tests of the IndexedDB storage follow writes over the lock's fake channel.
  storage: ['core', 'protocol', 'lock/testing'],
  client: ['core', 'protocol'],
  // The optional inspector element: it talks to the page API through its protocol types only.
  inspector: ['protocol'],
  sw: ['core', 'protocol', 'eviction', 'lock', 'storage'],
};

/** Flat-config blocks: one `no-restricted-imports` rule per folder. */
export const layerBoundaries = Object.entries(LAYERS).map(([folder, allowed]) => {
  const others = Object.keys(LAYERS).filter((other) => other !== folder);
  const group = others.flatMap((other) => {
    if (allowed.includes(other)) return [];
    const subfolders = allowed.filter((a) => a.startsWith(`${other}/`));
    if (subfolders.length === 0) return [`**/${other}/**`];
    // Only those subfolders (e.g. `lock/testing`): a pattern cannot re-include what lies under
    // an excluded folder, so the folder's files and its other subfolders are excluded apart.
    return [`**/${other}/*.ts`, `**/${other}/*/**`, ...subfolders.map((a) => `!**/${a}/**`)];
  });
  const may = allowed.length === 0 ? 'nothing of src/ but itself' : allowed.join(', ');
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group, message: `src/${folder} may import ${may} (eslint.layers.js).` }] },
      ],
    },
  };
});
