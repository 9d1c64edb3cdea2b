// The demo council's delivery chains: the paper's two worked examples (the planning-permit review
// bottleneck of section 3.2, and police → prosecution → courts of section 2.2.1) with their
// interventions, so a newcomer can open a chain and see its bottleneck at once; and a magistrates'
// court that sits on weekdays in terms, to show opening hours, rosters and shared staff.
import { demoChains, magistratesCourtChainJson, parseChainOrThrow } from '../domain/chain/index.ts';
import type { OrgScope } from '../storage/index.ts';

/**
 * Stores both demo chains in the organisation, and one saved scenario showing that two investments
 * away from the bottleneck do not add up to one at it; returns the chains' ids, planning permit first.
 */
export async function seedDemoChains(scope: OrgScope): Promise<string[]> {
  const chains = scope.chains;
  const planning = await chains.create(demoChains.planningPermit, 'seeded');
  const police = await chains.create(demoChains.policeProsecutionCourts, 'seeded');
  // Opening hours (issue 13): a court that sits on weekdays in terms, with shared legal advisers.
  await chains.create(parseChainOrThrow(magistratesCourtChainJson), 'seeded');
  await chains.createScenario(planning, 'Online portal and faster printing together', [
    'online-portal',
    'faster-printing',
  ]);
  return [planning, police];
}
