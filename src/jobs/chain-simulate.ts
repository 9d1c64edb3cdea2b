// The `chains.simulate` job: a simulation asked for through the API (POST
// /api/chains/:id/simulations) runs here, and its figures are kept as the job's result, which
// GET /api/simulations/:id reads back. The page runs the same simulation inside its request.
import { z } from 'zod';
import { runChainSimulation, type SimulationSummary } from '../services/chainSimulations.ts';
import type { JobHandler } from './types.ts';

export const CHAINS_SIMULATE = 'chains.simulate';

const payloadSchema = z.object({
  chainId: z.uuid(),
  revision: z.number().int().positive(),
  settings: z.object({
    seed: z.number().int().positive(),
    replications: z.number().int().positive(),
    weeks: z.number().int().positive(),
  }),
  interventions: z.array(z.string()),
});

export const chainSimulateHandler: JobHandler<z.output<typeof payloadSchema>, SimulationSummary> = {
  kind: CHAINS_SIMULATE,
  parse: (payload) => payloadSchema.parse(payload),
  async run(payload, context) {
    context.progress(0, 'Simulating the chain');
    return runChainSimulation(context.scope, payload);
  },
  doneMessage: (result) =>
    `Simulated ${result.replications} runs; the binding constraint is ${result.bindingConstraint.name}`,
};
