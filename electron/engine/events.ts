// What the engine tells its listener while it runs. The shapes live in the shared layer, so the IPC contract and
// the renderer read them without reaching into the engine.
export type { CheckHeading, DiagnosisEvent } from '../common/report';
