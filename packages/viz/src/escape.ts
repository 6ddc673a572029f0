/**
 * Escapes text for XML/HTML character data and attribute values: `& < > " '` become entities, and characters
 * that XML 1.0 forbids (C0 controls other than tab/newline/CR, lone surrogates are left to the encoder) are dropped.
 * Everything that comes from user data (class names, titles, labels) goes through this before it enters SVG or HTML.
 *
 * @example
 * escapeXml('<script>alert(1)</script>'); // '&lt;script&gt;alert(1)&lt;/script&gt;'
 */
export function escapeXml(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if (!/[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) return text;
  let out = '';
  for (const ch of String(text)) {
    switch (ch) {
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      case '"':
        out += '&quot;';
        break;
      case "'":
        out += '&#39;';
        break;
      default: {
        const code = ch.codePointAt(0) ?? 0;
        if (code < 0x20 && ch !== '\t' && ch !== '\n' && ch !== '\r') break;
        out += ch;
      }
    }
  }
  return out;
}
