// A React Router server build made of resource routes (no React rendering), for driving
// React Router's own request handler (`createRequestHandler`) in tests.
import type { ServerBuild } from 'react-router';

export type Module = Record<string, unknown>;

/**
 * A server build whose `root` route holds `rootModule` (the middleware) and, under it, one
 * route per path of `routes`, and `index` (if given) as the index route of `/`.
 */
export function buildOf(
  routes: Record<string, Module>,
  rootModule: Module = {},
  index?: Module,
): ServerBuild {
  const manifest: Record<string, unknown> = {
    root: { id: 'root', path: '', module: rootModule },
  };
  if (index) manifest.index = { id: 'index', parentId: 'root', index: true, module: index };
  for (const [path, module] of Object.entries(routes)) {
    manifest[path] = { id: path, parentId: 'root', path, module };
  }
  return {
    entry: { module: { default: () => new Response('document') } },
    routes: manifest,
    assets: { entry: { module: '', imports: [] }, routes: {}, url: '', version: '1' },
    publicPath: '/',
    assetsBuildDirectory: '',
    future: { v8_middleware: true },
    ssr: true,
    isSpaMode: false,
    prerender: [],
    routeDiscovery: { mode: 'lazy', manifestPath: '/__manifest' },
  } as unknown as ServerBuild;
}
