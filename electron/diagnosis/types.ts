// The report types live in the shared layer (electron/shared/report.ts); re-exported for the diagnosis code.
export type * from '../shared/report';
export { PLAYABLE_VERDICTS } from '../shared/report';
