// Every route the application registers, as it registers it: the tests generate their isolation
// matrix and fuzz cases from this table (test/integration/isolation-matrix.test.ts and
// fuzz.test.ts), so a new route is covered — or the test fails naming it — without anyone
// remembering to add it.
import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The routes registered so far (HEAD routes Fastify adds for each GET left out). */
    readonly routeTable: readonly RouteEntry[];
  }
}

export function recordRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      if (method !== 'HEAD') table.push({ method: String(method), url: route.url });
  });
}
