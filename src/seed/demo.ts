// The demo: on first start against an empty database, a borough council and a strategic institution,
// each with an admin, so a newcomer can sign in and see real results at once. Later features add
// their demo data (assessments, delivery chains, comments) here.
import { randomBytes } from 'node:crypto';
import type { Role, Storage } from '../storage/index.ts';
import { hashPassword } from '../services/secrets.ts';
import { defaultFramework } from '../domain/framework/index.ts';
import { seedCouncilAssessments, seedInstitutionAssessment } from './assessments.ts';
import { seedDemoChains } from './chains.ts';
import { seedDemoEventLog } from './logs.ts';
import { seedDemoComments } from './comments.ts';
import { seedDemoInitiatives } from './initiatives.ts';
import { seedDemoRegister, seedDemoSector, seedDemoSharedChain } from './sector.ts';
import { seedDemoSupplierReports } from './sectorSuppliers.ts';

export const DEMO_COUNCIL = {
  name: 'Demo Borough Council',
  slug: 'demo-borough-council',
  kind: 'public_body',
  sector: 'Local government',
} as const;

export const DEMO_INSTITUTION = {
  name: 'Demo Local Government Improvement Agency',
  slug: 'demo-improvement-agency',
  kind: 'strategic_institution',
  sector: 'Local government',
} as const;

export const DEMO_ACCOUNTS: ReadonlyArray<{
  email: string;
  name: string;
  organisation: 'council' | 'institution';
  role: Role;
}> = [
  {
    email: 'admin@demo-council.example',
    name: 'Alex Morgan',
    organisation: 'council',
    role: 'admin',
  },
  { email: 'lead@demo-council.example', name: 'Priya Shah', organisation: 'council', role: 'lead' },
  {
    email: 'planner@demo-council.example',
    name: 'Sam Okafor',
    organisation: 'council',
    role: 'member',
  },
  {
    email: 'auditor@demo-council.example',
    name: 'Jo Evans',
    organisation: 'council',
    role: 'viewer',
  },
  {
    email: 'admin@demo-institution.example',
    name: 'Morgan Reid',
    organisation: 'institution',
    role: 'admin',
  },
];

export interface SeedResult {
  readonly seeded: boolean;
  readonly password?: string;
  readonly passwordFromEnvironment?: boolean;
}

/** A memorable random password: four groups of five letters and digits. */
function randomPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  let out = '';
  for (let i = 0; i < 20; i++) {
    if (i > 0 && i % 5 === 0) out += '-';
    out += alphabet[(bytes[i] ?? 0) % alphabet.length];
  }
  return out;
}

/** Seeds the demo only into an empty database; never touches one that has data. */
export async function seedDemoIfEmpty(
  storage: Storage,
  options: { password?: string | undefined },
): Promise<SeedResult> {
  if ((await storage.platform.countOrganisations()) > 0) return { seeded: false };
  const password = options.password ?? randomPassword();
  const passwordHash = await hashPassword(password);
  const seeded = await storage.transaction(async ({ platform, scope }) => {
    // Two processes starting together must not both seed: the first to claim the marker wins.
    const marker = new Date().toISOString();
    if ((await platform.getOrCreateSetting('demo_seeded_at', () => marker)) !== marker)
      return false;
    if ((await platform.countOrganisations()) > 0) return false;
    const council = await platform.createOrganisation(DEMO_COUNCIL);
    const institution = await platform.createOrganisation(DEMO_INSTITUTION);
    const system = { userId: null, label: 'System (demo set-up)' };
    const userIds = new Map<string, string>();
    for (const account of DEMO_ACCOUNTS) {
      const userId = await platform.createUser({
        email: account.email,
        name: account.name,
        passwordHash,
      });
      userIds.set(account.email, userId);
      const organisation = account.organisation === 'council' ? council : institution;
      await scope(organisation.id, system).addMember(userId, account.role, 'demo set-up');
    }
    // The demo round is run by the council's lead, as a real one would be.
    const lead = { userId: userIds.get('lead@demo-council.example') ?? null, label: system.label };
    await seedCouncilAssessments(scope(council.id, lead), defaultFramework);
    const analyst = {
      userId: userIds.get('admin@demo-institution.example') ?? null,
      label: system.label,
    };
    await seedInstitutionAssessment(scope(institution.id, analyst), defaultFramework);
    await seedDemoChains(scope(council.id, system));
    const logId = await seedDemoEventLog(scope(council.id, lead));
    await seedDemoComments(scope(council.id, system));
    await seedDemoInitiatives(scope(council.id, lead), logId);
    const members = await seedDemoSector(
      { platform, scope },
      {
        institutionId: institution.id,
        institutionAdmin: analyst.userId,
        councilId: council.id,
        passwordHash,
        framework: defaultFramework,
      },
    );
    await seedDemoSharedChain(
      { platform, scope },
      { institutionId: institution.id, institutionAdmin: analyst.userId, passwordHash },
    );
    await seedDemoRegister({ platform, scope }, defaultFramework, members);
    await seedDemoSupplierReports({ platform, scope }, members);
    return true;
  });
  return seeded
    ? { seeded, password, passwordFromEnvironment: options.password !== undefined }
    : { seeded };
}
