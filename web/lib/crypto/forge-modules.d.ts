// Types of the node-forge files imported one by one (p12-compatible.ts): each is the forge
// namespace that @types/node-forge describes, extended by the files imported for their effect.
declare module 'node-forge/lib/forge.js' {
  import forge from 'node-forge';
  export default forge;
}
declare module 'node-forge/lib/asn1.js';
declare module 'node-forge/lib/pbe.js';
