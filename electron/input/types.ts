// The parsed address and error code live in the shared report layer (the renderer and reports read them too).
export type * from '../common/target';
