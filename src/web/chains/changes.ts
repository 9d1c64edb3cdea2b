// The kinds of change an intervention can make (the engine's change kinds, src/domain/chain), as
// GOV.UK form pages: what each asks, how its answers become a `Change`, and how a stored change
// reads in plain words. One kind of change per page; an intervention can hold several.
import { WEEKDAYS, clockHours, dayName, describeShift } from '../../domain/chain/index.ts';
import type { Change, DeliveryChain, Weekday } from '../../domain/chain/index.ts';
import { describeService, readService, serviceFields, type FieldReader } from './edit.ts';
import { money, pct } from './format.ts';

export type FieldSpec =
  | {
      readonly type: 'stage';
      readonly name: string;
      readonly label: string;
      readonly hint?: string;
      readonly optional?: string;
    }
  | { readonly type: 'output'; readonly name: string; readonly label: string }
  | { readonly type: 'input'; readonly name: string; readonly label: string }
  | {
      readonly type: 'number';
      readonly name: string;
      readonly label: string;
      readonly hint?: string;
      readonly suffix?: string;
      readonly prefix?: string;
      readonly width?: number;
    }
  | { readonly type: 'text'; readonly name: string; readonly label: string; readonly hint?: string }
  | { readonly type: 'inputKind'; readonly name: string; readonly label: string }
  | { readonly type: 'days'; readonly name: string; readonly label: string }
  | { readonly type: 'service'; readonly prefix: string; readonly label: string };

export interface ChangeKind {
  readonly kind: Change['kind'];
  readonly title: string;
  readonly hint: string;
  /** Kinds that need something to exist: a stage is always there, outputs too; inputs may not be. */
  readonly needs?: 'inputs' | 'calendar';
  readonly fields: readonly FieldSpec[];
  readonly read: (reader: FieldReader, chain: DeliveryChain) => Change | undefined;
}

const stage = (label = 'Which stage does it change?'): FieldSpec => ({
  type: 'stage',
  name: 'stage',
  label,
});

function knownStage(reader: FieldReader, chain: DeliveryChain, field = 'stage'): string {
  const id = reader.body[field];
  if (typeof id === 'string' && chain.stages.some((s) => s.id === id)) return id;
  reader.fail(field, 'Select a stage');
  return '';
}

/** The day choices of "Extra opening hours" (one radio each; value: the days, comma-separated). */
export const DAY_CHOICES: readonly { readonly value: string; readonly text: string }[] = [
  { value: 'sat', text: 'Saturday' },
  { value: 'sun', text: 'Sunday' },
  { value: 'sat,sun', text: 'Saturday and Sunday' },
  { value: 'mon,tue,wed,thu,fri', text: 'Monday to Friday' },
  ...WEEKDAYS.slice(0, 5).map((d) => ({ value: d, text: dayName(d) })),
];

function readShiftClock(r: FieldReader, field: string, what: string): string {
  const raw = r.body[field];
  const text = typeof raw === 'string' ? raw.trim().replace(/^(\d):/, '0$1:') : '';
  if (text === '') r.fail(field, `Enter ${what}`);
  else if (!/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/.test(text))
    r.fail(
      field,
      `${what.charAt(0).toUpperCase()}${what.slice(1)} must be a 24-hour time such as 09:00`,
    );
  else return text;
  return '00:00';
}

export const CHANGE_KINDS: readonly ChangeKind[] = [
  {
    kind: 'scaleServiceTime',
    title: 'A stage takes less (or more) time per case',
    hint: 'For example, AI drafting cuts the time a planner spends on each application.',
    fields: [
      stage(),
      {
        type: 'number',
        name: 'percent',
        label: 'Time per case after the change, as a percentage of today’s',
        hint: '70 means 30% faster; 120 means 20% slower.',
        suffix: '%',
        width: 4,
      },
    ],
    read: (r, chain) => {
      const s = knownStage(r, chain);
      const p = r.number('percent', 'the time per case as a percentage', { above: 0, max: 1000 });
      return { kind: 'scaleServiceTime', stage: s, factor: p / 100 };
    },
  },
  {
    kind: 'addServers',
    title: 'More (or fewer) staff or machines at a stage',
    hint: 'For example, two more planners, or one officer fewer.',
    fields: [
      stage(),
      {
        type: 'number',
        name: 'delta',
        label: 'How many more?',
        hint: 'A whole number. Enter a negative number, like -1, for fewer.',
        width: 3,
      },
    ],
    read: (r, chain) => {
      const s = knownStage(r, chain);
      const delta = r.number('delta', 'how many more', { integer: true, min: -1000, max: 1000 });
      if (delta === 0) r.fail('delta', 'Enter a number other than 0');
      return { kind: 'addServers', stage: s, delta };
    },
  },
  {
    kind: 'setService',
    title: 'A stage’s time per case follows a new pattern',
    hint: 'For example, an automated check that always takes the same time.',
    fields: [
      stage(),
      { type: 'service', prefix: '', label: 'How long does each case take after the change?' },
    ],
    read: (r, chain) => {
      const s = knownStage(r, chain);
      const service = readService(r);
      return service === undefined ? undefined : { kind: 'setService', stage: s, service };
    },
  },
  {
    kind: 'setCost',
    title: 'A stage costs less (or more) for the same work',
    hint: 'For example, a cheaper contract, or a licence paid for each case.',
    fields: [
      stage(),
      {
        type: 'number',
        name: 'costPerServerHour',
        label: 'New cost of an hour of each member of staff or machine',
        hint: 'Leave empty to keep today’s cost.',
        width: 5,
      },
      {
        type: 'number',
        name: 'costPerCase',
        label: 'New cost for each case',
        hint: 'For example, a licence paid per use. Leave empty to keep today’s cost.',
        width: 5,
      },
    ],
    read: (r, chain) => {
      const s = knownStage(r, chain);
      const perHour = r.optionalNumber('costPerServerHour', 'the cost of an hour', { min: 0 });
      const perCase = r.optionalNumber('costPerCase', 'the cost for each case', { min: 0 });
      if (perHour === undefined && perCase === undefined) {
        r.fail(
          'costPerServerHour',
          'Enter a new cost of an hour, a new cost for each case, or both',
        );
      }
      return {
        kind: 'setCost',
        stage: s,
        ...(perHour === undefined ? {} : { costPerServerHour: perHour }),
        ...(perCase === undefined ? {} : { costPerCase: perCase }),
      };
    },
  },
  {
    kind: 'scaleRework',
    title: 'A stage sends fewer (or more) cases back for rework',
    hint: 'For example, an online form that stops incomplete applications.',
    fields: [
      stage('Which stage sends cases back?'),
      {
        type: 'number',
        name: 'percent',
        label: 'Rework after the change, as a percentage of today’s',
        hint: '40 means 60% fewer cases are sent back; 150 means half as many again.',
        suffix: '%',
        width: 4,
      },
    ],
    read: (r, chain) => {
      const s = knownStage(r, chain);
      const p = r.number('percent', 'the rework as a percentage', { min: 0, max: 1000 });
      const reworks = chain.stages.find((x) => x.id === s)?.routes.some((x) => x.rework === true);
      if (s !== '' && reworks !== true) {
        r.fail(
          'stage',
          'This stage sends no cases back for rework. Choose “Extra checking or rework” instead',
        );
      }
      return { kind: 'scaleRework', stage: s, factor: p / 100 };
    },
  },
  {
    kind: 'addRework',
    title: 'Extra checking or rework at a stage',
    hint: 'The downstream effect: for example, less accurate statements that prosecutors must send back.',
    fields: [
      stage('At which stage are cases checked again or sent back?'),
      {
        type: 'number',
        name: 'percent',
        label: 'Share of its cases sent back',
        hint: 'A percentage from 0 to 99.',
        suffix: '%',
        width: 3,
      },
      {
        type: 'stage',
        name: 'to',
        label: 'Where are they sent back to?',
        optional: 'The same stage (checked again there)',
      },
    ],
    read: (r, chain) => {
      const s = knownStage(r, chain);
      const p = r.number('percent', 'the share sent back', { min: 0, max: 99 });
      const to = r.body.to;
      const target =
        typeof to === 'string' && to !== '' && to !== s ? knownStage(r, chain, 'to') : undefined;
      return {
        kind: 'addRework',
        stage: s,
        share: p / 100,
        ...(target === undefined ? {} : { to: target }),
      };
    },
  },
  {
    kind: 'replaceStage',
    title: 'A stage is replaced by a different way of doing it',
    hint: 'Substitution: for example, an online portal instead of staff taking applications. Cases still go on as before.',
    fields: [
      stage('Which stage is replaced?'),
      { type: 'text', name: 'name', label: 'Name of the new way of doing it' },
      { type: 'text', name: 'organisation', label: 'Organisation that runs it' },
      { type: 'number', name: 'servers', label: 'Staff or machines working in parallel', width: 3 },
      { type: 'service', prefix: '', label: 'How long does each case take?' },
      {
        type: 'number',
        name: 'costPerServerHour',
        label: 'Cost of an hour of each member of staff or machine',
        width: 5,
      },
      {
        type: 'number',
        name: 'costPerCase',
        label: 'Cost for each case',
        hint: 'Enter 0 if there is none.',
        width: 5,
      },
    ],
    read: (r, chain) => {
      const s = knownStage(r, chain);
      const old = chain.stages.find((x) => x.id === s);
      const name = r.text('name', 'the name of the new way of doing it');
      const organisation = r.text('organisation', 'the organisation that runs it');
      const servers = r.number('servers', 'the number of staff or machines', {
        integer: true,
        min: 1,
        max: 10_000,
      });
      const service = readService(r);
      const perHour = r.number('costPerServerHour', 'the cost of an hour', { min: 0 });
      const perCase = r.number('costPerCase', 'the cost for each case', { min: 0 });
      if (old === undefined || service === undefined) return undefined;
      return {
        kind: 'replaceStage',
        stage: s,
        with: {
          id: old.id,
          name,
          organisation,
          servers,
          service,
          costPerServerHour: perHour,
          costPerCase: perCase,
          routes: old.routes.map((x) => ({ ...x })),
        },
      };
    },
  },
  {
    kind: 'setOutcomeContribution',
    title: 'An output contributes more (or less) to outcomes',
    hint: 'Effectiveness: for example, fewer decisions overturned on appeal.',
    fields: [
      { type: 'output', name: 'output', label: 'Which output?' },
      {
        type: 'number',
        name: 'percent',
        label: 'Share of this output that achieves the outcome after the change',
        hint: 'A percentage from 0 to 100.',
        suffix: '%',
        width: 3,
      },
    ],
    read: (r, chain) => {
      const o = r.body.output;
      const output = typeof o === 'string' && chain.outputs.some((x) => x.id === o) ? o : '';
      if (output === '') r.fail('output', 'Select an output');
      const p = r.number('percent', 'the share that achieves the outcome', { min: 0, max: 100 });
      return { kind: 'setOutcomeContribution', output, outcomeContribution: p / 100 };
    },
  },
  {
    kind: 'scaleDemand',
    title: 'More (or fewer) cases arrive',
    hint: 'For example, a chatbot that answers questions which used to become applications.',
    fields: [
      {
        type: 'number',
        name: 'percent',
        label: 'New cases after the change, as a percentage of today’s',
        hint: '90 means 10% fewer cases arrive.',
        suffix: '%',
        width: 4,
      },
      {
        type: 'stage',
        name: 'stage',
        label: 'Where do they arrive?',
        optional: 'Everywhere cases arrive',
      },
    ],
    read: (r, chain) => {
      const p = r.number('percent', 'the new cases as a percentage', { min: 0, max: 1000 });
      const st = r.body.stage;
      const at = typeof st === 'string' && st !== '' ? knownStage(r, chain) : undefined;
      return { kind: 'scaleDemand', factor: p / 100, ...(at === undefined ? {} : { stage: at }) };
    },
  },
  {
    kind: 'extendHours',
    title: 'Extra opening hours at a stage',
    hint: 'For example, open on Saturday mornings with two planners on duty.',
    needs: 'calendar',
    fields: [
      stage('Which stage opens for longer?'),
      { type: 'days', name: 'days', label: 'On which days?' },
      { type: 'text', name: 'from', label: 'From', hint: 'A 24-hour time, such as 09:00' },
      { type: 'text', name: 'to', label: 'To', hint: 'A 24-hour time, such as 13:00' },
      { type: 'number', name: 'servers', label: 'Staff on duty in those hours', width: 3 },
    ],
    read: (r, chain) => {
      const s = knownStage(r, chain);
      if (chain.calendar === undefined)
        r.fail('stage', 'This chain has no opening hours: set them on the chain first');
      if (chain.stages.find((x) => x.id === s)?.pool !== undefined)
        r.fail('stage', 'This stage shares a pool of staff: change the pool in the chain’s file');
      const days = r.choice(
        'days',
        DAY_CHOICES.map((d) => d.value),
        'Select the days',
      );
      const from = readShiftClock(r, 'from', 'the start time');
      const to = readShiftClock(r, 'to', 'the end time');
      if (r.errors === null && clockHours(to) <= clockHours(from))
        r.fail('to', `The end time must be after the start time (${from})`);
      const servers = r.number('servers', 'the staff on duty', {
        integer: true,
        min: 1,
        max: 1000,
      });
      return {
        kind: 'extendHours',
        stage: s,
        shift: { days: days.split(',') as Weekday[], from, to, servers },
      };
    },
  },
  {
    kind: 'addInput',
    title: 'A new input is bought',
    hint: 'Budget, staff or equipment with a cost each week: for example, a software licence.',
    fields: [
      { type: 'text', name: 'name', label: 'Name of the input' },
      { type: 'inputKind', name: 'inputKind', label: 'What kind of input is it?' },
      { type: 'number', name: 'costPerWeek', label: 'Cost each week', width: 5 },
    ],
    read: (r, chain) => {
      const name = r.text('name', 'the name of the input');
      const kind = r.choice(
        'inputKind',
        ['budget', 'staff', 'equipment'] as const,
        'Select what kind of input it is',
      );
      const costPerWeek = r.number('costPerWeek', 'the cost each week', { min: 0 });
      const taken = new Set(chain.inputs.map((i) => i.id));
      let id =
        name
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-+|-+$/g, '') || 'input';
      for (let k = 2; taken.has(id); k++) id = `${id.replace(/-\d+$/, '')}-${k}`;
      return { kind: 'addInput', input: { id, name, kind, costPerWeek } };
    },
  },
  {
    kind: 'removeInput',
    title: 'An input is no longer needed',
    hint: 'For example, a system that is switched off.',
    needs: 'inputs',
    fields: [{ type: 'input', name: 'input', label: 'Which input?' }],
    read: (r, chain) => {
      const i = r.body.input;
      if (typeof i === 'string' && chain.inputs.some((x) => x.id === i))
        return { kind: 'removeInput', input: i };
      r.fail('input', 'Select an input');
      return undefined;
    },
  },
  {
    kind: 'setInputCost',
    title: 'An input is bought at a different price',
    hint: 'The same input at a lower (or higher) cost each week.',
    needs: 'inputs',
    fields: [
      { type: 'input', name: 'input', label: 'Which input?' },
      { type: 'number', name: 'costPerWeek', label: 'New cost each week', width: 5 },
    ],
    read: (r, chain) => {
      const i = r.body.input;
      const input = typeof i === 'string' && chain.inputs.some((x) => x.id === i) ? i : '';
      if (input === '') r.fail('input', 'Select an input');
      const costPerWeek = r.number('costPerWeek', 'the new cost each week', { min: 0 });
      return { kind: 'setInputCost', input, costPerWeek };
    },
  },
];

export function changeKind(kind: string): ChangeKind | undefined {
  return CHANGE_KINDS.find((k) => k.kind === kind);
}

/** A stored change in plain words. */
export function describeChange(change: Change, chain: DeliveryChain): string {
  const stageName = (id: string | undefined): string =>
    id === undefined ? '' : (chain.stages.find((s) => s.id === id)?.name ?? id);
  const inputName = (id: string): string => chain.inputs.find((i) => i.id === id)?.name ?? id;
  switch (change.kind) {
    case 'setServers':
      return `${stageName(change.stage)}: ${change.servers} staff or machines`;
    case 'addServers':
      return `${stageName(change.stage)}: ${change.delta > 0 ? `${change.delta} more` : `${-change.delta} fewer`} staff or machines`;
    case 'scaleServiceTime':
      return `${stageName(change.stage)}: each case takes ${pct(Math.abs(1 - change.factor))} ${change.factor < 1 ? 'less' : 'more'} time`;
    case 'setService':
      return `${stageName(change.stage)}: time per case becomes “${describeService(change.service)}”`;
    case 'setCost':
      return `${stageName(change.stage)}: ${[
        change.costPerServerHour === undefined
          ? ''
          : `an hour costs ${money(change.costPerServerHour)}`,
        change.costPerCase === undefined ? '' : `each case costs ${money(change.costPerCase)}`,
      ]
        .filter((x) => x !== '')
        .join(' and ')}`;
    case 'setRoutes':
      return `${stageName(change.stage)}: new routing (${change.routes.map((r) => `${pct(r.probability)} to ${stageName(r.to) || r.to}`).join(', ')})`;
    case 'scaleRework':
      return `${stageName(change.stage)}: rework becomes ${pct(change.factor)} of today’s`;
    case 'addRework':
      return `${stageName(change.stage)}: ${pct(change.share)} of cases sent back${change.to === undefined || change.to === change.stage ? ' and checked again there' : ` to ${stageName(change.to)}`}`;
    case 'replaceStage':
      return `${stageName(change.stage)} is replaced by “${change.with.name}” (${change.with.servers} in parallel, ${describeService(change.with.service).toLowerCase()})`;
    case 'setOutcomeContribution':
      return `${chain.outputs.find((o) => o.id === change.output)?.name ?? change.output}: ${pct(change.outcomeContribution)} achieve the outcome`;
    case 'scaleDemand':
      return `New cases${change.stage === undefined ? '' : ` at ${stageName(change.stage)}`} become ${pct(change.factor)} of today’s`;
    case 'addInput':
      return `New input: ${change.input.name} (${change.input.kind}), ${money(change.input.costPerWeek)} a week`;
    case 'removeInput':
      return `Input no longer needed: ${inputName(change.input)}`;
    case 'setInputCost':
      return `${inputName(change.input)} costs ${money(change.costPerWeek)} a week`;
    case 'setRoster':
      return `${rosterOwner(change, chain)}: new roster (${change.roster.shifts.map((s) => describeShift(s)).join('; ')})`;
    case 'extendHours':
      return `${rosterOwner(change, chain)}: extra hours, ${describeShift(change.shift)}`;
  }
}

/** A number as a form shows it: 70, not 70.00000000000001. */
const shown = (x: number): string => String(Math.round(x * 1e6) / 1e6);

/**
 * The form answers that would make this change (for editing a stored change on its own form), or
 * undefined for kinds written only in a chain file (exact staff numbers, new routing).
 */
export function changeFormValues(change: Change): Record<string, string> | undefined {
  switch (change.kind) {
    case 'scaleServiceTime':
      return { stage: change.stage, percent: shown(change.factor * 100) };
    case 'addServers':
      return { stage: change.stage, delta: String(change.delta) };
    case 'setService':
      return { stage: change.stage, ...serviceFields(change.service) };
    case 'setCost':
      return {
        stage: change.stage,
        costPerServerHour:
          change.costPerServerHour === undefined ? '' : shown(change.costPerServerHour),
        costPerCase: change.costPerCase === undefined ? '' : shown(change.costPerCase),
      };
    case 'scaleRework':
      return { stage: change.stage, percent: shown(change.factor * 100) };
    case 'addRework':
      return { stage: change.stage, percent: shown(change.share * 100), to: change.to ?? '' };
    case 'replaceStage':
      return {
        stage: change.stage,
        name: change.with.name,
        organisation: change.with.organisation,
        servers: String(change.with.servers),
        ...serviceFields(change.with.service),
        costPerServerHour: shown(change.with.costPerServerHour),
        costPerCase: shown(change.with.costPerCase),
      };
    case 'setOutcomeContribution':
      return { output: change.output, percent: shown(change.outcomeContribution * 100) };
    case 'scaleDemand':
      return { percent: shown(change.factor * 100), stage: change.stage ?? '' };
    case 'addInput':
      return {
        name: change.input.name,
        inputKind: change.input.kind,
        costPerWeek: shown(change.input.costPerWeek),
      };
    case 'removeInput':
      return { input: change.input };
    case 'setInputCost':
      return { input: change.input, costPerWeek: shown(change.costPerWeek) };
    case 'extendHours':
      return {
        stage: change.stage ?? '',
        days: change.shift.days.join(','),
        from: change.shift.from,
        to: change.shift.to,
        servers: String(change.shift.servers),
      };
    case 'setServers':
    case 'setRoutes':
    case 'setRoster':
      return undefined;
  }
}

function rosterOwner(
  change: { readonly stage?: string | undefined; readonly pool?: string | undefined },
  chain: DeliveryChain,
): string {
  if (change.pool !== undefined) {
    return chain.pools?.find((p) => p.id === change.pool)?.name ?? change.pool;
  }
  return chain.stages.find((s) => s.id === change.stage)?.name ?? change.stage ?? '';
}
