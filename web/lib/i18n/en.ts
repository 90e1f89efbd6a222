/** English message catalogue: the same keys and placeholders as `ja.ts` (checked by a unit test). */
import type { Catalogue } from './ja.ts';

export const en: Catalogue = {
  'app.name': 'Hakko 発行',
  'app.tagline': 'Client certificate issuance',

  'shell.skipToContent': 'Skip to main content',
  'shell.home': 'Hakko 発行 home',
  'shell.language': 'Language / 表示言語',
  'shell.footerLabel': 'Site information',
  'shell.rootCertificate': 'Root certificate (root.crt)',
  'shell.version': 'Version {version}',
  'shell.title': '{page} — Hakko 発行',

  'start.title': 'Start',
  'start.heading': 'Client certificates for universities and research institutes',
  'start.intro':
    'Hakko (発行, “issuance”) issues client authentication and S/MIME certificates to the members of universities and research institutes. Your private key is created inside your own browser and is never sent to the server.',
  'start.choose': 'Choose what you came to do',
  'start.tool.audience': 'For user administrators',
  'start.tool.title': 'TSV request file tool',
  'start.tool.body':
    'Write request files (TSV) for issuing, renewing and revoking certificates, checked on the spot with the same rules as the server. Works offline once opened; what you enter never leaves this browser.',
  'start.tool.action': 'Open the tool',
  'start.officer.audience': 'For registration officers',
  'start.officer.title': 'Officer dashboard',
  'start.officer.body':
    'Upload request files, follow your requests and download certificate information. Needs your registration officer certificate in this browser.',
  'start.officer.https':
    'Opens at the HTTPS address {origin}. When your browser asks for a certificate, choose your officer certificate.',
  'start.officer.action': 'Open the dashboard',
  'start.pickup.audience': 'For certificate recipients',
  'start.pickup.title': 'Received a link by mail?',
  'start.pickup.pinUrl.term': 'PIN URL (アクセスPIN取得URL)',
  'start.pickup.pinUrl.body':
    'Goes to the user administrator (or the PIN distributor). Opening it shows the access PIN once, and only once. Hand each PIN to its user in person or by another safe channel.',
  'start.pickup.pickupUrl.term': 'Pickup URL (証明書取得URL)',
  'start.pickup.pickupUrl.body':
    'Goes to the user. Open it in the browser of the computer where you will use the certificate and enter the access PIN you were given. Your key is created in the browser and the certificate file is saved.',
  'start.pickup.once': 'Both links work only once and expire. If a link has expired or is locked, contact the registration officer of your institution.',
  'start.pickup.warningTitle': 'Never share your access PIN.',
  'start.pickup.warning': 'Nobody from Hakko or your university will ever ask for your PIN by mail or phone.',

  'placeholder.comingSoon': 'This page is coming soon.',
  'placeholder.back': 'Back to the start page',
  'tool.title': 'TSV request file tool',
  'officer.title': 'Officer dashboard',
  'operator.title': 'Operator',
  'pin.title': 'Retrieve your access PIN',
  'pickup.title': 'Pick up your certificate',

  'error.title': 'Error',
  'error.notFoundTitle': 'Page not found',
  'error.notFoundBody': 'Please check the address. Links in mails are sometimes broken across two lines.',
  'error.otherTitle': 'Something went wrong',
  'error.otherBody': 'Please reload the page. If that does not help, contact the registration officer of your institution.',
  'error.status': 'Error code {status}',
};
