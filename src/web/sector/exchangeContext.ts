// Which institution's exchange a request is about: an institution's own, or, for a member, the
// institution named in `?institution=` among its active memberships (default: the first). Anyone
// else — not a member, a member that left, an unknown id — gets undefined (404).
import type { FastifyRequest } from 'fastify';
import { capabilitiesByScope, type Framework } from '../../domain/framework/index.ts';
import {
  EXCHANGE_KINDS,
  EXCHANGE_TEMPLATES,
  fieldWords,
  isExchangeKind,
} from '../../domain/sector/index.ts';
import type { ExchangeItem } from '../../storage/index.ts';
import { dateWords } from './view.ts';

export interface ExchangeContext {
  readonly institutionId: string;
  readonly institutionName: string;
  readonly isInstitution: boolean;
  readonly choices: readonly { institutionId: string; institutionName: string }[];
}

export async function exchangeContext(
  request: FastifyRequest,
  wanted: unknown,
): Promise<ExchangeContext | undefined> {
  const organisation = await request.scope.organisation();
  if (organisation.kind === 'strategic_institution') {
    if (wanted !== undefined && wanted !== '' && wanted !== organisation.id) return undefined;
    return {
      institutionId: organisation.id,
      institutionName: organisation.name,
      isInstitution: true,
      choices: [],
    };
  }
  const active = (await request.scope.sector.memberships()).filter((m) => m.status === 'active');
  const chosen =
    wanted === undefined || wanted === ''
      ? active[0]
      : active.find((m) => m.institutionId === wanted);
  if (!chosen) return undefined;
  return {
    institutionId: chosen.institutionId,
    institutionName: chosen.institutionName,
    isInstitution: false,
    choices: active.map((m) => ({
      institutionId: m.institutionId,
      institutionName: m.institutionName,
    })),
  };
}

/** Every capability (the five of an organisation and the seven of a sector), for filters. */
export function capabilityChoices(framework: Framework) {
  return [
    ...capabilitiesByScope(framework, 'organisation'),
    ...capabilitiesByScope(framework, 'sector'),
  ].map((c) => ({ id: c.id, name: c.name }));
}

/** An item as pages, exports and the API show it: its template's fields in words. */
export function itemDocument(item: ExchangeItem, framework: Framework) {
  const t = EXCHANGE_TEMPLATES[item.kind];
  const capability = capabilityChoices(framework).find((c) => c.id === item.capabilityId);
  return {
    id: item.id,
    kind: item.kind,
    kindLabel: t.label,
    title: item.title,
    member: item.memberName,
    capability: capability ? { id: capability.id, name: capability.name } : null,
    fields: t.fields.map((f) => ({
      name: f.name,
      label: f.label,
      value: fieldWords(item.kind, f.name, item.body[f.name] ?? ''),
    })),
    endorsed: item.endorsed,
    endorsedAt: item.endorsedAt,
    publishedAt: item.createdAt,
    joinedBy: t.join ? item.joinedCount : null,
    joinWords: t.join ?? null,
    joinedByUs: item.joinedByUs,
    ours: item.ours,
    publishedOn: dateWords(item.createdAt),
  };
}

export const kindItems = (selected: unknown) => [
  { value: '', text: 'All kinds' },
  ...EXCHANGE_KINDS.map((k) => ({
    value: k,
    text: EXCHANGE_TEMPLATES[k].plural,
    selected: selected === k,
  })),
];

export { isExchangeKind };
