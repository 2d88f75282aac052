/**
 * Spreadsheet formula injection: a CSV cell starting with = + - @ (or a tab or carriage
 * return) is run as a formula when the file is opened in Excel, LibreOffice or Sheets. Export
 * writes such cells with a leading apostrophe, which spreadsheets show as plain text; import
 * takes that apostrophe off again. Cells that already start with apostrophes before one of
 * those characters get one more, so export → import gives back every value exactly.
 *
 * @example neutralizeCell('=HYPERLINK("http://x")') // "'=HYPERLINK(\"http://x\")"
 */

const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALIZED = /^'+[=+\-@\t\r]/;

/** The cell as export writes it. */
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The value a cell written by neutralizeCell (or by a tool with the same habit) stands for. */
export function restoreCell(cell: string): string {
  return NEUTRALIZED.test(cell) ? cell.slice(1) : cell;
}

/**
 * E.164 numbers with optional extensions, "; " between them, as the phone columns hold them.
 * A spreadsheet reads such a cell as a number at worst, never as a call, so it is left as is.
 */
const PHONE_LIST = /^\+\d{1,15}( x\d{1,10})?(; \+\d{1,15}( x\d{1,10})?)*$/;

/** A phone column's cell as export writes it: numbers as they are, anything else neutralized. */
export function neutralizePhoneCell(value: string): string {
  return PHONE_LIST.test(value) ? value : neutralizeCell(value);
}
