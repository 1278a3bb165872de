// Small commands of the system: `date`, `uptime`, `version`, `priv set`, `partner`, `rdfile` (files written
// with `wrfile` first, then the ones the lab makes from its configuration).
import type { CommandDefinition } from '../console/command.ts';
import { clockText, dateText, spanText } from '../console/clock.ts';
import { inTakeover } from '../console/prompt.ts';
import { consoleStateOf } from '../console/state.ts';
import { ONTAP_BUILD_DATE, ONTAP_RELEASE } from '../console/version.ts';
import { fileServiceOf } from './fileservice-cifs.ts';
import { isVolPath, readVolFile } from './storage-vol-file.ts';
import { writtenFile } from './system-extra.ts';

const PRIVILEGE_WARNING: Readonly<Record<'advanced' | 'diag', readonly string[]>> = {
  advanced: [
    'Warning: These advanced commands are potentially dangerous; use',
    '         them only when directed to do so by NetApp',
    '         personnel.',
  ],
  diag: [
    'Warning: These diagnostic commands are for use by NetApp',
    '         personnel only.',
  ],
};

export const miscCommands: readonly CommandDefinition[] = [
  {
    name: 'date',
    synopsis: 'display date and time',
    usage: ['date [-u] [-c]'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.some((arg) => arg !== '-u' && arg !== '-c')) {
        ctx.print('date: the lab clock follows virtual time and cannot be set');
        return ctx.usage();
      }
      ctx.print(dateText(ctx.now));
      return 'done';
    },
  },
  {
    name: 'uptime',
    synopsis: 'show how long system has been up',
    usage: ['uptime'],
    privilege: 'admin',
    run(args, ctx) {
      if (args.length > 0) return ctx.usage();
      const bootedAtUs = consoleStateOf(ctx.filer)?.bootedAtUs ?? ctx.now;
      // The ops served since boot, from the file service's counters (zeroed at each boot, as the product's).
      const counters = fileServiceOf(ctx)?.counters;
      const sum = (counts: Record<string, number> | undefined) => Object.values(counts ?? {}).reduce((total, count) => total + count, 0);
      ctx.print(`${clockText(ctx.now).padStart(8)} up ${spanText(ctx.now - bootedAtUs).padStart(9)} `
        + `${sum(counters?.nfsCalls)} NFS ops, ${sum(counters?.cifsCommands)} CIFS ops, 0 HTTP ops, 0 FCP ops, 0 iSCSI ops`);
      return 'done';
    },
  },
  {
    name: 'version',
    synopsis: 'display Data ONTAP version',
    usage: ['version [-b] [-v]'],
    privilege: 'admin',
    completions: ['-b', '-v'],
    run(args, ctx) {
      if (args.some((arg) => arg !== '-b' && arg !== '-v')) return ctx.usage();
      ctx.print(`NetApp Release ${ONTAP_RELEASE}: ${ONTAP_BUILD_DATE}`);
      if (args.includes('-b')) {
        ctx.print(`1-zero: /cfcard/x86_64/freebsd/image1/kernel: OS ${ONTAP_RELEASE}`);
        ctx.print('1-zero: /cfcard/x86_64/freebsd/image1/diags.tgz: Diagnostic_5.6.1');
      }
      return 'done';
    },
  },
  {
    name: 'priv',
    synopsis: 'control per-connection privilege settings',
    usage: ['priv set [-q] [admin | advanced | diag]', 'priv help'],
    privilege: 'admin',
    completions: ['set', 'help', 'admin', 'advanced', 'diag', '-q'],
    run(args, ctx) {
      const state = consoleStateOf(ctx.filer);
      if (!state) return 'done';
      if (args.length === 0) {
        ctx.print(state.privilege);
        return 'done';
      }
      if (args[0] !== 'set') return ctx.usage();
      const rest = args.slice(1);
      const quiet = rest[0] === '-q';
      const level = (quiet ? rest[1] : rest[0]) ?? 'admin';
      if ((quiet ? rest.length > 2 : rest.length > 1) || !['admin', 'advanced', 'diag'].includes(level)) return ctx.usage();
      if ((level === 'advanced' || level === 'diag') && !quiet) ctx.printLines(PRIVILEGE_WARNING[level]);
      state.privilege = level as typeof state.privilege;
      return 'done';
    },
  },
  {
    name: 'partner',
    synopsis: 'switch to the partner identity in takeover mode',
    usage: ['partner [<command>]'],
    privilege: 'admin',
    run(args, ctx) {
      const state = consoleStateOf(ctx.filer);
      if (!state) return 'done';
      if (!inTakeover(ctx.filer) && !state.partnerMode) {
        ctx.print('partner: this filer has not taken over its partner; partner mode is only available in takeover.');
        return 'done';
      }
      if (args.length > 0) {
        ctx.print('partner: run the command after switching with `partner`, then type `partner` again to switch back.');
        return 'done';
      }
      state.partnerMode = !state.partnerMode;
      const partner = ctx.filer.config.partner ?? 'partner';
      ctx.print(state.partnerMode ? `Login to partner shell: ${partner}` : `Logoff from partner shell: ${partner}`);
      return 'done';
    },
  },
  {
    name: 'rdfile',
    synopsis: 'read a WAFL file',
    usage: ['rdfile <absolute path>'],
    privilege: 'admin',
    completions: ['/etc/messages', '/etc/rc', '/etc/hosts'],
    run(args, ctx) {
      if (args.length !== 1) return ctx.usage();
      const file = args[0];
      const name = ctx.hostname;
      if (isVolPath(file)) {
        const lines = readVolFile(ctx, file);
        if (typeof lines === 'string') ctx.print(lines);
        else ctx.printLines(lines);
        return 'done';
      }
      const written = writtenFile(ctx, file);
      if (written) { ctx.printLines(written); return 'done'; }
      switch (file) {
        case '/etc/messages':
          ctx.printLines(consoleStateOf(ctx.filer)?.messages ?? []);
          return 'done';
        case '/etc/rc':
          ctx.printLines(rcFile(ctx.filer.config));
          return 'done';
        case '/etc/hosts':
          ctx.printLines(['127.0.0.1 localhost', ...ctx.filer.config.vservers.flatMap((vserver) =>
            vserver.addresses.map((address) => `${address.address.split('/')[0]} ${vserver.name === ctx.localName ? name : vserver.name}-${address.port}`))]);
          return 'done';
        default:
          ctx.print(`${file.slice(0, 256)}: No such file or directory`);
          return 'done';
      }
    },
  },
];

function rcFile(config: { name: string; vservers: readonly { name: string; addresses: readonly { address: string; port: string }[] }[] }): string[] {
  const own = config.vservers.find((vserver) => vserver.name === config.name);
  return [
    `hostname ${config.name}`,
    ...(own?.addresses ?? []).map((address) => `ifconfig ${address.port} \`hostname\`-${address.port} mediatype auto flowcontrol full netmask 255.255.255.0 partner ${address.port}`),
    'route add default 10.1.1.1 1',
    'routed on',
    'options dns.enable off',
    'options nis.enable off',
    'savecore',
  ];
}
