// The demo sector (issue 15, point 10): the improvement agency has fourteen member councils in three
// peer groups — six metropolitan boroughs, five district councils and three unitary authorities —
// each sharing the levels agreed in its finalised capability round, so benchmarks appear, the
// unitary authorities are hidden as too small a group, and the district councils are hidden too,
// because all members minus the boroughs and districts would reveal the unitaries. Seven councils
// also share the measures of their planning-application chain. The Demo Borough Council has an
// invitation waiting, so a newcomer can accept it and share its own results. Each member council
// has an admin (admin@<slug>.example) who can sign in with the demo password. Deterministic.
import { demoChains, parseChain, type DeliveryChain } from '../domain/chain/index.ts';
import type { Level } from '../domain/assessment/index.ts';
import { capabilitiesByScope, type Framework } from '../domain/framework/index.ts';
import { roundResults, snapshotOf } from '../services/assessmentResults.ts';
import { FrameworkRegistry } from '../services/frameworks.ts';
import { chainMeasures } from '../services/sector.ts';
import { deriveRating } from '../services/sectorRegisters.ts';
import type { OrgScope, Repositories } from '../storage/index.ts';
import { seedDemoIncidentHistory } from './sectorHistory.ts';
import { seedDemoIncidentsAndExchange, type DemoMember } from './sectorIncidents.ts';

interface MemberSpec {
  readonly name: string;
  readonly slug: string;
  readonly peerGroup: string;
  /** Agreed levels of the five organisation-level capabilities, in the framework's order. */
  readonly levels: readonly Level[];
  /** Planning applications a week, when the council shares its planning chain's measures. */
  readonly planningDemand?: number;
}

const METROPOLITAN = 'Metropolitan boroughs';
const DISTRICT = 'District councils';
const UNITARY = 'Unitary authorities';

export const DEMO_MEMBERS: readonly MemberSpec[] = [
  {
    name: 'Ashford Vale Metropolitan Borough Council',
    slug: 'ashford-vale',
    peerGroup: METROPOLITAN,
    levels: [3, 3, 3, 4, 4],
    planningDemand: 9,
  },
  {
    name: 'Brindley Metropolitan Borough Council',
    slug: 'brindley',
    peerGroup: METROPOLITAN,
    levels: [2, 3, 3, 3, 4],
    planningDemand: 10,
  },
  {
    name: 'Calderbrook Metropolitan Borough Council',
    slug: 'calderbrook',
    peerGroup: METROPOLITAN,
    levels: [3, 4, 2, 4, 3],
    planningDemand: 11,
  },
  {
    name: 'Dunmere Metropolitan Borough Council',
    slug: 'dunmere',
    peerGroup: METROPOLITAN,
    levels: [4, 3, 3, 3, 4],
    planningDemand: 9.5,
  },
  {
    name: 'Eastwick Metropolitan Borough Council',
    slug: 'eastwick',
    peerGroup: METROPOLITAN,
    levels: [3, 2, 3, 3, 3],
    planningDemand: 10.5,
  },
  {
    name: 'Fellgate Metropolitan Borough Council',
    slug: 'fellgate',
    peerGroup: METROPOLITAN,
    levels: [2, 3, 4, 3, 4],
    planningDemand: 8.5,
  },
  {
    name: 'Greyholme District Council',
    slug: 'greyholme',
    peerGroup: DISTRICT,
    levels: [4, 4, 3, 4, 4],
    planningDemand: 7,
  },
  {
    name: 'Hartmoor District Council',
    slug: 'hartmoor',
    peerGroup: DISTRICT,
    levels: [3, 4, 4, 3, 5],
  },
  {
    name: 'Ivybridge Fields District Council',
    slug: 'ivybridge-fields',
    peerGroup: DISTRICT,
    levels: [4, 3, 4, 4, 4],
  },
  {
    name: 'Kestrel Downs District Council',
    slug: 'kestrel-downs',
    peerGroup: DISTRICT,
    levels: [3, 3, 4, 5, 4],
  },
  {
    name: 'Larkfield District Council',
    slug: 'larkfield',
    peerGroup: DISTRICT,
    levels: [4, 4, 3, 4, 3],
  },
  {
    name: 'Marshton Unitary Council',
    slug: 'marshton',
    peerGroup: UNITARY,
    levels: [2, 2, 2, 3, 3],
  },
  { name: 'Northby Unitary Council', slug: 'northby', peerGroup: UNITARY, levels: [2, 3, 2, 2, 3] },
  {
    name: 'Oakhurst Unitary Council',
    slug: 'oakhurst',
    peerGroup: UNITARY,
    levels: [3, 2, 2, 3, 2],
  },
];

/** The planning chain of the demo with another demand and fewer planners' hours lost to rework. */
function planningChain(demandPerWeek: number): DeliveryChain {
  const base = demoChains.planningPermit;
  const parsed = parseChain({
    ...base,
    demand: base.demand.map((d) => ({ ...d, rate: demandPerWeek })),
  });
  if (!parsed.ok) throw new Error('demo planning chain variant is invalid');
  return parsed.chain;
}

/**
 * A finalised organisation-level round whose levels were agreed at the leadership team's moderation
 * workshop (agreed levels in the framework's order, documented evidence). Returns its id.
 */
export async function finaliseAgreedRound(
  scope: OrgScope,
  framework: Framework,
  round: {
    readonly title: string;
    readonly opensOn: string;
    readonly closesOn: string;
    readonly levels: readonly Level[];
  },
): Promise<string> {
  const store = scope.assessments;
  const roundId = await store.createRound({
    scope: 'organisation',
    title: round.title,
    opensOn: round.opensOn,
    closesOn: round.closesOn,
    groups: ['Leadership team'],
    minGroupSize: 3,
    framework: { id: framework.id, version: framework.version, document: framework.document },
  });
  await store.changeStatus(roundId, ['draft'], 'open');
  await store.changeStatus(roundId, ['open'], 'closed');
  const agreed = capabilitiesByScope(framework, 'organisation').map((c, i) => ({
    capabilityId: c.id,
    agreedLevel: round.levels[i] ?? 3,
    evidenceStrength: 'documented' as const,
    rationale: 'Agreed at the leadership team’s moderation workshop with the review documents.',
  }));
  for (const a of agreed) await store.saveAgreedRating(roundId, a);
  const closed = await store.round(roundId);
  if (!closed) throw new Error('demo member round missing');
  const results = await roundResults(scope, new FrameworkRegistry(framework), closed);
  await store.addSnapshot(roundId, snapshotOf(results, agreed), 'Finalised');
  return roundId;
}

export async function seedDemoSector(
  repositories: Repositories,
  input: {
    readonly institutionId: string;
    readonly institutionAdmin: string | null;
    readonly councilId: string;
    readonly passwordHash: string;
    readonly framework: Framework;
  },
): Promise<Map<string, string>> {
  const { platform, scope } = repositories;
  const label = 'System (demo set-up)';
  const institution = scope(input.institutionId, { userId: input.institutionAdmin, label });
  const members: DemoMember[] = [];
  const ids = new Map<string, string>();
  for (const [index, spec] of DEMO_MEMBERS.entries()) {
    const organisation = await platform.createOrganisation({
      name: spec.name,
      slug: spec.slug,
      kind: 'public_body',
      sector: 'Local government',
    });
    ids.set(spec.slug, organisation.id);
    const adminId = await platform.createUser({
      email: `admin@${spec.slug}.example`,
      name: `${spec.name.split(' ')[0] ?? 'Council'} admin`,
      passwordHash: input.passwordHash,
    });
    const system = scope(organisation.id, { userId: null, label });
    await system.addMember(adminId, 'admin', 'demo set-up');
    const member = scope(organisation.id, { userId: adminId, label });
    members.push({ slug: spec.slug, organisationId: organisation.id, adminId, name: spec.name });

    const month = String(3 + (index % 8)).padStart(2, '0');
    await finaliseAgreedRound(member, input.framework, {
      title: 'Capability self-assessment 2026',
      opensOn: `2026-${month}-01`,
      closesOn: `2026-${month}-21`,
      levels: spec.levels,
    });

    const membershipId = await institution.sector.invite(organisation.id, spec.peerGroup);
    await member.sector.respond(membershipId, 'accept');
    await member.sector.setSharing(membershipId, 'results', true);
    if (spec.planningDemand !== undefined) {
      const chain = planningChain(spec.planningDemand);
      const chainId = await system.chains.create(chain, 'seeded');
      await member.sector.tagChain(chainId, 'planning-applications', 1, chainMeasures(chain));
      await member.sector.setSharing(membershipId, 'chain_measures', true);
    }
  }
  // The demo council is invited, and decides for itself.
  await institution.sector.invite(input.councilId, '');
  await seedDemoIncidentsAndExchange(repositories, {
    institutionId: input.institutionId,
    institutionAdmin: input.institutionAdmin,
    members,
    passwordHash: input.passwordHash,
  });
  await seedDemoIncidentHistory(repositories, input.institutionId, members);
  return ids;
}

/** The three criminal-justice partners that own the stages of the demo's shared chain. */
export const DEMO_CHAIN_PARTNERS = [
  { stage: 'police', name: 'Demo Constabulary', slug: 'demo-constabulary', sector: 'Policing' },
  {
    stage: 'prosecution',
    name: 'Crown Prosecution Service, Demo Area',
    slug: 'demo-cps',
    sector: 'Criminal justice',
  },
  {
    stage: 'courts',
    name: 'Demo Magistrates’ Court',
    slug: 'demo-magistrates',
    sector: 'Criminal justice',
  },
] as const;

/**
 * The shared criminal-justice chain (issue 15, point 3; paper sections 2.2.1 and 3.2): police →
 * Crown Prosecution Service → magistrates' court, with the witness-statement rework loop (the CPS
 * sends one file in ten back to the police), convened by the agency; each stage is owned by the
 * partner that runs it, and each partner shares its chain measures so it sees the whole chain.
 */
export async function seedDemoSharedChain(
  repositories: Repositories,
  input: {
    readonly institutionId: string;
    readonly institutionAdmin: string | null;
    readonly passwordHash: string;
  },
): Promise<string> {
  const { platform, scope } = repositories;
  const label = 'System (demo set-up)';
  const institution = scope(input.institutionId, { userId: input.institutionAdmin, label });
  const owners = new Map<string, string>();
  for (const partner of DEMO_CHAIN_PARTNERS) {
    const organisation = await platform.createOrganisation({
      name: partner.name,
      slug: partner.slug,
      kind: 'public_body',
      sector: partner.sector,
    });
    const adminId = await platform.createUser({
      email: `admin@${partner.slug}.example`,
      name: `${partner.name.split(/[ ,]/)[0] ?? 'Partner'} admin`,
      passwordHash: input.passwordHash,
    });
    await scope(organisation.id, { userId: null, label }).addMember(
      adminId,
      'admin',
      'demo set-up',
    );
    const member = scope(organisation.id, { userId: adminId, label });
    const membershipId = await institution.sector.invite(organisation.id, '');
    await member.sector.respond(membershipId, 'accept');
    await member.sector.setSharing(membershipId, 'chain_measures', true);
    owners.set(partner.stage, organisation.id);
  }
  const base = demoChains.policeProsecutionCourts;
  const parsed = parseChain({
    ...base,
    stages: base.stages.map((s) => ({
      ...s,
      organisation: DEMO_CHAIN_PARTNERS.find((p) => p.stage === s.id)?.name ?? s.organisation,
    })),
  });
  if (!parsed.ok) throw new Error('demo shared chain is invalid');
  const chainId = await institution.chains.create(parsed.chain, 'seeded');
  const sharedId = await institution.sharedChains.convene(chainId);
  if (!sharedId) throw new Error('demo shared chain could not be convened');
  for (const [stage, owner] of owners)
    await institution.sharedChains.assignStage(sharedId, stage, owner);
  return sharedId;
}

/** Councils that share register entries with the agency and publish their client-capability rating. */
export const DEMO_REGISTER_PUBLISHERS = [
  'ashford-vale',
  'brindley',
  'eastwick',
  'greyholme',
  'marshton',
  'northby',
] as const;

/**
 * Client-capability register entries (issue 15, point 4): six member councils share register
 * entries with the agency and publish the rating their finalised round gives, so the public
 * /register page has entries; the other councils have published nothing.
 */
export async function seedDemoRegister(
  repositories: Repositories,
  framework: Framework,
  members: ReadonlyMap<string, string>,
): Promise<void> {
  const label = 'System (demo set-up)';
  const frameworks = new FrameworkRegistry(framework);
  for (const slug of DEMO_REGISTER_PUBLISHERS) {
    const organisationId = members.get(slug);
    if (!organisationId) throw new Error(`demo member ${slug} missing`);
    const scope = repositories.scope(organisationId, { userId: null, label });
    const membership = (await scope.sector.memberships()).find((m) => m.status === 'active');
    if (!membership) throw new Error(`demo member ${slug} has no membership`);
    await scope.sector.setSharing(membership.id, 'register', true);
    const derived = await deriveRating(scope, frameworks);
    if ('refused' in derived) throw new Error(`demo member ${slug}: ${derived.refused}`);
    await scope.sectorRegister.publish({
      level: derived.rating.level,
      basis: derived.rating.counted.map((c) => ({ ...c })),
      evidence: derived.rating.evidence,
      roundId: derived.roundId,
      roundTitle: derived.roundTitle,
      finalisedAt: derived.finalisedAt,
    });
  }
}
