// The report types live in the shared layer (electron/common/report.ts); re-exported for the diagnosis code.
export type * from '../common/report';
export { PLAYABLE_VERDICTS } from '../common/report';
