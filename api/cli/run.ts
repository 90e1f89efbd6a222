/**
 * Executes a parsed `hakko` command against the services (locally or inside the running server,
 * reached over the Unix socket). Output is collected so both paths print the same.
 */
import { HakkoError } from '../errors.ts';
import type { Services } from '../services.ts';
import type { Command } from './parse.ts';
import { USAGE } from './parse.ts';
import { addInstitution, allInstitutions, getInstitution, updateInstitution } from '../workflows/institutions.ts';
import { enrollOfficer } from '../workflows/enroll-officer.ts';
import { officersOf, revokeOfficer } from '../workflows/officers.ts';
import { verifyAudit } from '../audit/audit.ts';
import { configValue, configValues, setConfig } from '../workflows/settings.ts';
import type { InstitutionRecord } from '../../db/repos/institutions.ts';
import { runTsvCheck } from './tsv-check.ts';
import { runDemo } from './demo.ts';
import type { CliIo, CliResult } from './io.ts';

export type { CliIo, CliResult };

const ACTOR = 'operator-cli';

function institutionJson(i: InstitutionRecord) {
  return { code: i.code, ja: i.ja, en: i.en, o: i.o, l: i.l, st: i.st, domains: i.domains, review: i.review, approvalExpires: i.approvalExpires, status: i.status, whoisOrg: i.whoisOrg, profiles: i.profiles, methods: i.methods, keyAlgorithm: i.keyAlgorithm };
}

function institutionText(i: InstitutionRecord): string {
  const j = institutionJson(i);
  return Object.entries(j).map(([k, v]) => `${k.padEnd(16)} ${Array.isArray(v) ? v.join(',') : v ?? '-'}`).join('\n') + '\n';
}

export async function runCommand(s: Services, cmd: Command, io: CliIo): Promise<CliResult> {
  const out = (stdout: string, code = 0): CliResult => ({ stdout, stderr: '', code });
  try {
    return await execute(s, cmd, io, out);
  } catch (e) {
    if (e instanceof HakkoError) {
      // Validation, unknown objects and duplicates are "wrong usage" (exit 2) per spec README §CLI.
      // A refused field is named by its option (the message names it in words, for the console too).
      const option = typeof e.extra?.field === 'string' ? `--${e.extra.field}: ` : '';
      return { stdout: '', stderr: `hakko: ${option}${e.text.en}\n`, code: 2 };
    }
    throw e;
  }
}

async function execute(s: Services, cmd: Command, io: CliIo, out: (s: string, code?: number) => CliResult): Promise<CliResult> {
  const deps = { db: s.db, clock: s.clock };
  switch (cmd.kind) {
    case 'help':
      return out(USAGE + '\n');
    case 'institution.add': {
      const i = await addInstitution(deps, cmd.opts, ACTOR);
      return out(`added institution ${i.code}\n`);
    }
    case 'institution.update': {
      const i = await updateInstitution(deps, cmd.code, cmd.opts, ACTOR);
      return out(`updated institution ${i.code}\n`);
    }
    case 'institution.suspend':
    case 'institution.resume': {
      const status = cmd.kind === 'institution.suspend' ? 'suspended' : 'active';
      await updateInstitution(deps, cmd.code, { status }, ACTOR);
      return out(`institution ${cmd.code} is ${status}\n`);
    }
    case 'institution.list': {
      const list = await allInstitutions(deps);
      if (cmd.json) return out(JSON.stringify(list.map(institutionJson), null, 2) + '\n');
      return out(list.length ? list.map((i) => `${i.code.padEnd(20)} ${i.status.padEnd(9)} ${i.o} / ${i.ja}`).join('\n') + '\n' : '(no institutions)\n');
    }
    case 'institution.show': {
      const i = await getInstitution(deps, cmd.code);
      return out(cmd.json ? JSON.stringify(institutionJson(i), null, 2) + '\n' : institutionText(i));
    }
    case 'officer.enroll': {
      const e = await enrollOfficer(s, cmd, ACTOR);
      if (cmd.json) return out(JSON.stringify({ url: e.url, pin: e.pin, expiresAt: e.expiresAt }) + '\n');
      return out(`URL: ${e.url}\nPIN: ${e.pin}\nExpires: ${e.expiresAt}\n`);
    }
    case 'officer.list': {
      const list = await officersOf(s, cmd.institution);
      if (cmd.json) return out(JSON.stringify(list.map((o) => ({ email: o.email, name: o.name, role: o.role, status: o.status, institution: o.institutionCode, createdAt: o.createdAt.toISOString() })), null, 2) + '\n');
      return out(list.length ? list.map((o) => `${o.email.padEnd(32)} ${o.role.padEnd(9)} ${o.status.padEnd(8)} ${o.institutionCode ?? '-'}  ${o.name}`).join('\n') + '\n' : '(no officers)\n');
    }
    case 'officer.revoke':
      await revokeOfficer(s, cmd.email, ACTOR);
      return out(`revoked officer ${cmd.email}\n`);
    case 'ca.show': {
      const show = s.ca.show();
      if (cmd.json) return out(JSON.stringify(show, null, 2) + '\n');
      return out(Object.entries(show).map(([k, v]) => `${k.padEnd(8)} ${v.subject}\n         SHA-256 ${v.sha256}`).join('\n') + '\n');
    }
    case 'config.get': {
      if (cmd.key === null) return out((await configValues(s)).map((v) => `${v.key}=${JSON.stringify(v.value)}`).join('\n') + '\n');
      return out(JSON.stringify(await configValue(s, cmd.key)) + '\n');
    }
    case 'config.set': {
      const v = await setConfig(s, cmd.key, cmd.value, ACTOR);
      return out(`${v.key}=${JSON.stringify(v.value)}\n`);
    }
    case 'tsv.check':
      return runTsvCheck(s, cmd, io);
    case 'demo':
      return runDemo(s, cmd.json, ACTOR);
    case 'audit.verify': {
      const v = await verifyAudit(s.db);
      return v.ok ? out(`audit chain ok (${v.records} records)\n`) : { stdout: '', stderr: `hakko: audit chain broken at record ${v.brokenAt}\n`, code: 1 };
    }
  }
}
