// Which delivery chains are comparable (paper section 2.2.1: a chain's measures are ratios of its
// own inputs, outputs and outcomes, so two chains compare only when they produce the same output).
// A member tags a chain with one kind of service from this fixed list; free text would split one
// service into many spellings and leave every group too small to show. Chains of one kind are
// benchmarked together; a chain with no kind is never compared.

export const SERVICE_TYPES = [
  { id: 'planning-applications', label: 'Planning applications' },
  { id: 'environmental-permits', label: 'Environmental permits' },
  { id: 'housing-benefit-claims', label: 'Housing benefit claims' },
  { id: 'council-tax-collection', label: 'Council tax collection' },
  { id: 'adult-social-care-assessments', label: 'Adult social care assessments' },
  { id: 'criminal-case-files', label: 'Criminal case files (police to prosecution to courts)' },
] as const;

export type ServiceType = (typeof SERVICE_TYPES)[number]['id'];

export const isServiceType = (value: unknown): value is ServiceType =>
  typeof value === 'string' && SERVICE_TYPES.some((s) => s.id === value);

export const serviceLabel = (id: string): string =>
  SERVICE_TYPES.find((s) => s.id === id)?.label ?? id;

/** The chain measures benchmarked, their words and direction (Figure 1's ratios). */
export const CHAIN_BENCHMARKS = [
  {
    key: 'cost_per_output',
    label: 'Cost per output',
    format: 'money',
    lowerIsBetter: true,
    family: 'Operational efficiency',
  },
  {
    key: 'lead_time_hours',
    label: 'Lead time',
    format: 'hours',
    lowerIsBetter: true,
    family: 'Operational efficiency (flow)',
  },
  {
    key: 'outputs_per_staff_hour',
    label: 'Outputs per staff hour',
    format: 'number',
    lowerIsBetter: false,
    family: 'Operational efficiency',
  },
  {
    key: 'outcomes_per_output',
    label: 'Outcomes per output',
    format: 'percent',
    lowerIsBetter: false,
    family: 'Effectiveness',
  },
] as const;

export type ChainBenchmarkKey = (typeof CHAIN_BENCHMARKS)[number]['key'];
