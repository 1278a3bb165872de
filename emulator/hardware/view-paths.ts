// Every path the hardware publishes with ctx.publish, in one place, for the wiring diagram and the
// inspector. A LabView's `state` maps these paths to their latest values; deltas patch them.
//
//   <actor>.power                      'on' | 'off'                      filer, shelf, switch
//   <actor>.ports.<port>.link          boolean  link light (carrier)     filer, shelf, switch ports
//   <actor>.ports.<port>.enabled       boolean  transceiver on           filer, shelf, switch ports
//   <filer>.state                      BootState: 'off' | 'firmware' | 'loader' | 'booting' | 'running'
//                                      | 'halted' | 'panicked' | 'hung'
//   <filer>.led.fault                  boolean  amber fault LED
//   <filer>.faults                     string[] active chassis faults ('fan', 'psu', …)
//   <filer>.nvram.battery              'ok' | 'low'
//   <filer>.sensors.temperatureC       number
//   <filer>.sensors.fans               boolean[] (true = spinning)
//   <filer>.sensors.psus               boolean[] (true = delivering)
//   <shelf>.led.fault                  boolean
//   <shelf>.psus                       boolean[]
//   <shelf>.bays.<bay>.state           DiskViewState: 'ok' | 'failed' | 'media-error' | 'slow'
//                                      | 'not-ready' (shelf off) | 'empty'
//   <shelf>.bays.<bay>.owner           filer name or null (software ownership)
//   <shelf>.bays.<bay>.reservation     the reservation holder's key (a system id) or null
//   <shelf>.bays.<bay>.activity        number: commands served so far (blink the activity LED on change)
//   <switch>.state                     'up' | 'down'
// Published above the hardware (each file lists its paths): emulator/ontap/storage/storage-view.ts
// (<filer>.disks.<shelf>.<bay>.role, <filer>.raid.<aggr>.rg<n>.status|reconstructPercent),
// emulator/ontap/fileservice/view.ts (<filer>.ports.<port>.addresses, <filer>.fileservice,
// <filer>.cifs.sessions, <filer>.nvram.cifs), emulator/clients/client-view.ts (<client>.stats every
// 250 ms, <client>.state, <client>.cifs, <client>.ports.e0.link).
import type { ActorId, PortName } from '../engine/actor.ts';

export type DiskViewState = 'ok' | 'failed' | 'media-error' | 'slow' | 'not-ready' | 'empty';

export const viewPaths = {
  power: (actor: ActorId) => `${actor}.power`,
  portLink: (actor: ActorId, port: PortName) => `${actor}.ports.${port}.link`,
  portEnabled: (actor: ActorId, port: PortName) => `${actor}.ports.${port}.enabled`,
  filerState: (filer: ActorId) => `${filer}.state`,
  faultLed: (actor: ActorId) => `${actor}.led.fault`,
  filerFaults: (filer: ActorId) => `${filer}.faults`,
  nvramBattery: (filer: ActorId) => `${filer}.nvram.battery`,
  temperature: (filer: ActorId) => `${filer}.sensors.temperatureC`,
  fans: (filer: ActorId) => `${filer}.sensors.fans`,
  psus: (filer: ActorId) => `${filer}.sensors.psus`,
  shelfPsus: (shelf: ActorId) => `${shelf}.psus`,
  bayState: (shelf: ActorId, bay: number) => `${shelf}.bays.${bay}.state`,
  bayOwner: (shelf: ActorId, bay: number) => `${shelf}.bays.${bay}.owner`,
  bayReservation: (shelf: ActorId, bay: number) => `${shelf}.bays.${bay}.reservation`,
  bayActivity: (shelf: ActorId, bay: number) => `${shelf}.bays.${bay}.activity`,
  switchState: (name: ActorId) => `${name}.state`,
} as const;
