// Membership and consent between a strategic institution and its member organisations (paper
// section 4: institutions steward a sector with assets no single organisation can build). A member
// shares nothing by default; it chooses, per kind of data, what each institution may use.

/** The kinds of data a member can share with an institution, each chosen separately. */
export const SECTOR_DATA_KINDS = ['results', 'chain_measures', 'evaluations', 'register'] as const;
export type SectorDataKind = (typeof SECTOR_DATA_KINDS)[number];

export const DATA_KIND_WORDS: Readonly<
  Record<SectorDataKind, { readonly label: string; readonly hint: string }>
> = {
  results: {
    label: 'Finalised assessment results',
    hint: 'The level of each organisation-level capability in your latest finalised assessment round. Used in the capability benchmarks.',
  },
  chain_measures: {
    label: 'Delivery-chain measures',
    hint: 'Cost per output, lead time, outputs per staff hour and outcomes per output of the chains you tag with a kind of service. Used in the service benchmarks.',
  },
  evaluations: {
    label: 'Initiative evaluations',
    hint: 'Post-implementation evaluations of your AI initiatives, for the sector’s supplier register and case studies.',
  },
  register: {
    label: 'Register entries',
    hint: 'Your entry in the client-capability register, when you publish one.',
  },
};

export const isSectorDataKind = (value: unknown): value is SectorDataKind =>
  typeof value === 'string' && (SECTOR_DATA_KINDS as readonly string[]).includes(value);

export type MembershipStatus = 'invited' | 'active' | 'declined' | 'ended';

export const STATUS_WORDS: Readonly<Record<MembershipStatus, string>> = {
  invited: 'Invited',
  active: 'Member',
  declined: 'Declined',
  ended: 'Ended',
};

/** Why a new invitation cannot be sent to this organisation, or undefined when it can. */
export function invitationRefusal(input: {
  readonly institutionId: string;
  readonly institutionKind: 'public_body' | 'strategic_institution';
  readonly memberId: string;
  readonly current: MembershipStatus | undefined;
}): string | undefined {
  if (input.institutionKind !== 'strategic_institution')
    return 'Only a strategic institution can invite members';
  if (input.memberId === input.institutionId) return 'An institution cannot be a member of itself';
  if (input.current === 'invited') return 'This organisation already has an invitation waiting';
  if (input.current === 'active') return 'This organisation is already a member';
  return undefined;
}
