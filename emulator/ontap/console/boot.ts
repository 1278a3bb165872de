// The machine's way up and down as the console shows it (DESIGN.md §7): firmware self test, the
// `LOADER-A>` prompt, `boot_ontap` and the ONTAP boot messages, the OS prompt; and `halt`/`reboot` back
// down to the loader. The console drives the chassis' boot state and raises 'os-boot' and 'os-halt'.
import { MICROS_PER_MS, MICROS_PER_SECOND } from '../../engine/actor.ts';
import type { ActorContext, Payload } from '../../engine/actor.ts';
import { raiseLifecycle, setBootState } from '../../hardware/filer/filer-actor.ts';
import type { FilerState } from '../../hardware/filer/subsystem.ts';
import { dateText } from './clock.ts';
import { CONSOLE_HOOKS } from './hooks.ts';
import { logEms } from '../ems.ts';
import { CRLF, showPrompt } from './output.ts';
import { showOsPrompt } from './prompt.ts';
import { slotLetter } from './state.ts';
import type { ConsoleState } from './state.ts';
import { ONTAP_RELEASE } from './version.ts';

export const BOOT_TIMER = 'console.boot';
/** Power-on self test to loader prompt. */
export const FIRMWARE_US = 2 * MICROS_PER_SECOND;
/** From `boot_ontap` to the OS starting its subsystems ('os-boot'). */
export const KERNEL_LOAD_US = 3 * MICROS_PER_SECOND;
/** How often the console asks whether the OS is ready, and for how long at most. */
const READY_POLL_US = 250 * MICROS_PER_MS;
const READY_WAIT_MAX_US = 120 * MICROS_PER_SECOND;
const HALT_US = 500 * MICROS_PER_MS;

type BootStep = 'firmware-done' | 'kernel-loaded' | 'ready-poll' | 'halted' | 'warm';

function bootTimer(state: ConsoleState, ctx: ActorContext, delayUs: number, step: BootStep, extra: Record<string, unknown> = {}): void {
  ctx.setTimer(delayUs, { kind: BOOT_TIMER, generation: state.generation, step, ...extra });
}

export function loaderPrompt(filer: FilerState): string {
  return `LOADER-${slotLetter(filer)}> `;
}

/** Power came on: self test, then the loader (cold) or straight into ONTAP (a warm lab at time 0). */
export function powerOnConsole(filer: FilerState, state: ConsoleState, ctx: ActorContext): void {
  state.generation += 1;
  if (filer.config.start === 'warm' && filer.chassis.powerCycles === 1) {
    state.mode = 'booting';
    state.promptText = '';
    // A timer at the same instant, so that every subsystem has seen 'power-on' before 'os-boot'.
    bootTimer(state, ctx, 0, 'warm');
    return;
  }
  // Only a lab that starts cold waits at the loader; a power cycle autoboots, as the loader's
  // AUTOBOOT=true default does on the real machine.
  startFirmware(filer, state, ctx, filer.config.start === 'cold' && filer.chassis.powerCycles === 1 ? 'loader' : 'autoboot');
}

export function startFirmware(filer: FilerState, state: ConsoleState, ctx: ActorContext, then: 'loader' | 'autoboot'): void {
  state.mode = 'booting';
  state.promptText = '';
  state.afterFirmware = then;
  setBootState(filer, 'firmware', ctx);
  ctx.console([
    '', 'Phoenix TrustedCore(tm) Server', 'Copyright 1985-2006 Phoenix Technologies Ltd.', 'All Rights Reserved',
    'BIOS version: 2.4.0', 'Portions Copyright (c) 2006-2009 NetApp. All Rights Reserved.',
    'CPU= Dual Core AMD Opteron(tm) Processor 2216 X 1', 'Testing RAM', '512MB RAM tested', '8192MB RAM installed',
    'Fixed Disk 0: STEC NACF1GM1U-B11', '', 'Boot Loader version 1.8', 'Copyright (C) 2000-2003 Broadcom Corporation.',
    'Portions Copyright (C) 2002-2009 NetApp', '', `NVRAM: ${Math.round(filer.config.nvramBytes / 1_048_576)} MB, battery ${filer.chassis.nvram.batteryOk ? 'OK' : 'LOW'}`, '',
  ].join(CRLF) + CRLF);
  bootTimer(state, ctx, FIRMWARE_US, 'firmware-done');
}

export function showLoader(filer: FilerState, state: ConsoleState, ctx: ActorContext): void {
  state.mode = 'loader';
  state.job = null;
  setBootState(filer, 'loader', ctx);
  showPrompt(state, ctx, loaderPrompt(filer));
}

/**
 * Why this chassis must not boot now (seed 002 claims 3/12: a filer shut down for a fault restarts only
 * once it is cured), or null. The real loader holds a boot the same way for a discharged NVRAM battery.
 */
function bootBlocked(filer: FilerState): string | null {
  if (filer.chassis.faults.includes('nvram-battery')) return 'NVRAM battery charge too low to protect data: boot postponed until the battery is charged.';
  if (filer.chassis.faults.includes('overtemp')) return 'Environmental shutdown: system temperature too high; boot refused until it is cooled.';
  return null;
}

/** `boot_ontap` at the loader (or autoboot): load the kernel, then start the OS. */
export function startBoot(filer: FilerState, state: ConsoleState, ctx: ActorContext): void {
  const blocked = bootBlocked(filer);
  if (blocked !== null) {
    ctx.console(blocked + CRLF);
    showLoader(filer, state, ctx);
    return;
  }
  state.mode = 'booting';
  state.promptText = '';
  setBootState(filer, 'booting', ctx);
  ctx.console([
    'Loading X86_64/freebsd/image1/kernel:0x100000/8460016 0x911640/1302592 Entry at 0x80148f20',
    'Loading X86_64/freebsd/image1/platform.ko:0xa4f000/565168 0xad9000/549344',
    'Starting program at 0x80148f20',
    `NetApp Data ONTAP Release ${ONTAP_RELEASE}`,
    'Copyright (c) 1992-2012 NetApp.',
    `Starting boot on ${dateText(ctx.now)}`,
    '',
  ].join(CRLF));
  bootTimer(state, ctx, KERNEL_LOAD_US, 'kernel-loaded');
}

/** A boot timer fired; stale ones (from before a halt or power cycle) are dropped. */
export function bootTimerFired(filer: FilerState, state: ConsoleState, ctx: ActorContext, payload: Payload): void {
  if (payload['generation'] !== state.generation) return;
  switch (payload['step'] as BootStep) {
    case 'firmware-done':
      if (state.afterFirmware === 'autoboot') {
        ctx.console(`Starting AUTOBOOT press Ctrl-C to abort...${CRLF}`);
        startBoot(filer, state, ctx);
      } else {
        showLoader(filer, state, ctx);
      }
      return;
    case 'kernel-loaded':
      logEms(filer, ctx, 'nvram.battery.state', 'info', `The NVRAM battery is currently ${filer.chassis.nvram.batteryOk ? 'ON' : 'LOW'}.`);
      raiseLifecycle(filer, 'os-boot', ctx);
      bootTimer(state, ctx, READY_POLL_US, 'ready-poll', { startedUs: ctx.now });
      return;
    case 'ready-poll': {
      // A held boot (waiting for giveback) has no time limit: its wait starts over at each poll.
      const held = CONSOLE_HOOKS.some((hooks) => hooks.holdBoot?.(filer) ?? false);
      const startedUs = held || typeof payload['startedUs'] !== 'number' ? ctx.now : payload['startedUs'];
      if (osReady(filer) || ctx.now - startedUs >= READY_WAIT_MAX_US) return finishBoot(filer, state, ctx);
      bootTimer(state, ctx, READY_POLL_US, 'ready-poll', { startedUs });
      return;
    }
    case 'halted':
      ctx.console(`${payload['reboot'] ? 'Rebooting...' : 'System halting...'}${CRLF}`);
      startFirmware(filer, state, ctx, payload['reboot'] ? 'autoboot' : 'loader');
      return;
    case 'warm':
      setBootState(filer, 'booting', ctx);
      raiseLifecycle(filer, 'os-boot', ctx);
      setBootState(filer, 'running', ctx);
      state.bootedAtUs = ctx.now;
      ctx.console(`${CRLF}NetApp Data ONTAP Release ${ONTAP_RELEASE}: ${filer.config.name} is up (lab started warm).${CRLF}`);
      showOsPrompt(filer, state, ctx);
      return;
  }
}

function osReady(filer: FilerState): boolean {
  return CONSOLE_HOOKS.every((hooks) => hooks.bootReady?.(filer) ?? true);
}

function finishBoot(filer: FilerState, state: ConsoleState, ctx: ActorContext): void {
  setBootState(filer, 'running', ctx);
  state.bootedAtUs = ctx.now;
  if (state.downSinceUs !== null) {
    const seconds = Math.round((ctx.now - state.downSinceUs) / MICROS_PER_SECOND);
    logEms(filer, ctx, 'rc', 'notice', `The system was down for ${seconds} seconds`);
  }
  logEms(filer, ctx, 'kern.uptime.filer', 'info', `${filer.config.name} booted: Data ONTAP Release ${ONTAP_RELEASE}`);
  ctx.console(`${CRLF}Data ONTAP (${filer.config.name}.lab)${CRLF}`);
  showOsPrompt(filer, state, ctx);
}

/** `halt` or `reboot`: stop the OS cleanly and go back to the firmware. */
export function shutdownOs(filer: FilerState, state: ConsoleState, ctx: ActorContext, how: 'halt' | 'reboot'): void {
  state.mode = 'booting';
  state.promptText = '';
  state.job = null;
  state.partnerMode = false;
  state.privilege = 'admin';
  state.generation += 1;
  ctx.console(['CIFS local server is shutting down...', 'CIFS local server has shut down...', ''].join(CRLF));
  logEms(filer, ctx, 'kern.shutdown', 'notice', `System shut down because : "${how}".`);
  raiseLifecycle(filer, 'os-halt', ctx);
  setBootState(filer, 'halted', ctx);
  state.bootedAtUs = null;
  state.downSinceUs = ctx.now;
  bootTimer(state, ctx, HALT_US, 'halted', { reboot: how === 'reboot' });
}
