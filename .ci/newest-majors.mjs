// Swaps the framework majors the lockfile pins (SvelteKit 2, Astro 5, React Router 7: they run
// on Node 20, which the package supports) for the newest ones (SvelteKit 3, Astro 7, React
// Router 8: Node >= 22.22) in package.json and the examples' package.json files, so that
// .ci/run can test the same source on both. `node .ci/newest-majors.mjs` edits the files in
// place; .ci/run restores them with git afterwards. Bumping a version here is the whole upgrade.
import { readFileSync, writeFileSync } from 'node:fs';

export const NEWEST = {
  '@sveltejs/kit': '3.4.1',
  '@sveltejs/adapter-node': '6.0.2',
  astro: '7.4.8',
  '@astrojs/node': '11.1.6',
  'react-router': '8.5.3',
  '@react-router/dev': '8.5.3',
  '@react-router/node': '8.5.3',
  '@react-router/serve': '8.5.3',
  // SvelteKit 3's optional peer.
  typescript: '6.0.3',
};

const FILES = [
  'package.json',
  'examples/sveltekit/package.json',
  'examples/astro/package.json',
  'examples/react-router/package.json',
];

for (const file of FILES) {
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  for (const group of ['dependencies', 'devDependencies']) {
    for (const name of Object.keys(manifest[group] ?? {})) {
      if (name in NEWEST) manifest[group][name] = NEWEST[name];
    }
  }
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}
console.log(
  `newest majors: ${Object.entries(NEWEST)
    .map(([n, v]) => `${n}@${v}`)
    .join(' ')}`,
);
