// Sector stewardship rules (paper section 4): membership and consent, disclosure control of
// benchmarks, their statistics, and which services compare. Plain functions over plain data.
export * from './consent.ts';
export * from './disclosure.ts';
export * from './statistics.ts';
export * from './services.ts';
export * from './benchmarks.ts';
export * from './incidents.ts';
export * from './triage.ts';
export * from './threshold.ts';
export * from './exchange.ts';
export * from './sharedChain.ts';
export * from './register.ts';
export * from './suppliers.ts';
export * from './overview.ts';
