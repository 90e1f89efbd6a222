/**
 * Operator settings (`hakko config`, spec README): read and change, with the validation of
 * api/domain/settings.ts. The CLI and `/api/operator/settings` both call these (one workflow, two
 * doors); a change is audited as `config.set`.
 */
import { readSettings, writeSetting } from '../../db/repos/settings.ts';
import { SETTINGS, isSettingKey, type SettingKey } from '../domain/settings.ts';
import { appendAudit } from '../audit/audit.ts';
import { HakkoError, invalid } from '../errors.ts';
import type { Services } from '../services.ts';

/** The allowed values (the English text of api/domain/settings.ts) in Japanese. */
function allowedJa(en: string): string {
  const range = /^an integer from (\d+) to (\d+)$/.exec(en);
  if (range) return `${range[1]}〜${range[2]}の整数`;
  if (en === 'true or false') return 'true または false ';
  const chars = /^at most (\d+) characters$/.exec(en);
  if (chars) return `${chars[1]}文字以内の文字列`;
  if (en.startsWith('a comma-separated list of days')) return 'カンマ区切りの日数(1〜365、例: 30,7)';
  return en;
}

export interface SettingView {
  readonly key: SettingKey;
  readonly value: unknown;
  readonly default: unknown;
  readonly description: string;
}

export async function configValues(s: Pick<Services, 'db'>): Promise<SettingView[]> {
  const values = await readSettings(s.db);
  return (Object.keys(SETTINGS) as SettingKey[]).map((key) => ({ key, value: values[key], default: SETTINGS[key].default, description: SETTINGS[key].description }));
}

function knownKey(key: string): SettingKey {
  if (!isSettingKey(key)) throw new HakkoError('NOT_FOUND', { text: { en: `unknown config key: ${key}`, ja: `設定項目がありません: ${key}` } });
  return key;
}

export async function configValue(s: Pick<Services, 'db'>, key: string): Promise<unknown> {
  return (await readSettings(s.db))[knownKey(key)];
}

/** Parses `raw` as the CLI does (`hakko config set KEY VALUE`), stores it and audits the change. */
export async function setConfig(s: Pick<Services, 'db' | 'clock'>, key: string, raw: string, actor: string): Promise<SettingView> {
  const k = knownKey(key);
  const parsed = SETTINGS[k].parse(raw);
  if (!parsed.ok) throw invalid(`${k} must be ${parsed.error}: ${raw}`, `${k} の値が正しくありません。${allowedJa(parsed.error)}を指定してください: ${raw}`, { key: k });
  const now = s.clock.now();
  await s.db.transaction(async (tx) => {
    const before = (await readSettings(tx))[k];
    await writeSetting(tx, k, parsed.value, now);
    await appendAudit(tx, now, [{ actor, institutionId: null, action: 'config.set', object: k, details: { from: before as never, to: parsed.value as never } }]);
  });
  return { key: k, value: parsed.value, default: SETTINGS[k].default, description: SETTINGS[k].description };
}
