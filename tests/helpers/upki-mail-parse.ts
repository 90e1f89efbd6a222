/**
 * Reads the 【…】 sections of a notification the way existing UPKI mail parsers do (spec 05), so
 * tests assert the layout by reading it back rather than by matching prose.
 */
import { DN_RULE } from '../../api/mail/templates/layout.ts';

function valueOf(line: string | undefined, where: string): string {
  if (line === undefined || !line.startsWith('\u3000')) throw new Error(`${where}: line does not start with U+3000: ${JSON.stringify(line)}`);
  return line.slice(1);
}

/** Every DN under `【heading】`: rule, one attribute per line after U+3000, rule — joined with commas. */
export function parseDnBlocks(text: string, heading: string): string[] {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (line !== `【${heading}】`) return;
    if (lines[i + 1] !== DN_RULE) throw new Error(`${heading}: no rule after the heading`);
    const end = lines.indexOf(DN_RULE, i + 2);
    if (end < 0) throw new Error(`${heading}: no closing rule`);
    out.push(lines.slice(i + 2, end).map((a) => valueOf(a, heading)).join(','));
  });
  return out;
}

/** The value line after every `【heading】` (without its U+3000). */
export function sectionValues(text: string, heading: string): string[] {
  const lines = text.split(/\r?\n/);
  return lines.flatMap((l, i) => (l === `【${heading}】` ? [valueOf(lines[i + 1], heading)] : []));
}

/** Every 【…】 heading in order. */
export function headings(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => /^【[^】]+】$/.test(l)).map((l) => l.slice(1, -1));
}
