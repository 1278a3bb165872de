// The protocol's types as the renderer's stores and components name them (one import site).
export type { EmsRecord, HostEvent, LabDelta, LabView, OpenTextAnswer, Pace, SavedState, TopologyView, Transport } from '../../../emulator/protocol/channels.ts';
import type { z } from 'zod';
import type { labInputSchema } from '../../../emulator/protocol/channels.ts';

/** An input as the UI sends it (the channel map's schema, not the engine's type). */
export type LabInput = z.infer<typeof labInputSchema>;
