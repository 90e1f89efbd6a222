/**
 * Lets the bundler drop the pkijs classes a bundle never uses (spec 08: ≤ 150 KB gzip of JavaScript
 * for a method-1 pickup; pkijs is one 780 KB ES module).
 *
 * pkijs ends each class with top-level assignments such as `Certificate.CLASS_NAME = "Certificate";`.
 * A bundler must keep a statement that writes a property, and with it the class it writes to, so every
 * one of the 127 classes ends up in every bundle that imports any of them. This transform moves each
 * such assignment into its class as a static field with the same value (`static CLASS_NAME = "…"`),
 * which is what the TypeScript source of pkijs declares; an unused class is then free of side effects
 * and is dropped. Nothing else in the module changes. If pkijs changes the shape of its build, the
 * transform stops matching and says so at build time instead of silently doing nothing.
 */
import type { Plugin } from 'vite';

const PKIJS = /[\\/]node_modules[\\/]pkijs[\\/]build[\\/]index\.es\.js$/;
/** A top-level `Name.PROP = value;` line (no indentation: outside any function or class). */
const STATIC_ASSIGNMENT = /^([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*) = (.+);\n/gm;

export function pkijsPure(): Plugin {
  return {
    name: 'hakko:pkijs-pure',
    enforce: 'pre',
    transform(code, id) {
      if (!PKIJS.test(id)) return null;
      const moved = new Map<string, string[]>();
      let count = 0;
      const rest = code.replace(STATIC_ASSIGNMENT, (line, cls: string, prop: string, value: string) => {
        // Only assignments to a class of this module whose declaration comes before the line.
        if (!new RegExp(`^class ${cls}( extends [\\w$.]+)? \\{$`, 'm').test(code)) return line;
        moved.set(cls, [...(moved.get(cls) ?? []), `  static ${prop} = ${value};`]);
        count++;
        return '';
      });
      let out = rest;
      for (const [cls, fields] of moved) {
        out = out.replace(new RegExp(`^(class ${cls}(?: extends [\\w$.]+)? \\{)$`, 'm'), `$1\n${fields.join('\n')}`);
      }
      if (count < 100) this.warn(`pkijs-pure: moved only ${count} static assignments; has the pkijs build changed?`);
      return { code: out, map: null };
    },
  };
}
