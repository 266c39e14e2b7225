// The probe result shapes live in the shared report layer (the renderer and reports read them too).
export type * from '../common/probe-result';
