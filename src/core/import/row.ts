/**
 * One CSV row to a contact draft, through the column mapping of header-map.ts and the shared
 * rules of draft-builder.ts. Errors name the column as the file's header spells it.
 */
import type { NumberKind, PhoneField, TextField } from '../contact-fields.js';
import type { DraftResult } from './draft.js';
import type { PhoneNormalizer } from './draft-builder.js';
import { DraftBuilder, kindFromLabels } from './draft-builder.js';
import type { HeaderMapping } from './header-map.js';
import { restoreCell } from './spreadsheet-cells.js';

export type RowMapping = Pick<HeaderMapping, 'headers' | 'columns' | 'kindColumns'>;

/**
 * `row` is the row number as a spreadsheet shows it (the header is row 1). Cells past the
 * mapped columns are ignored; missing trailing cells count as empty.
 */
export function rowToDraft(
  cells: string[],
  mapping: RowMapping,
  row: number,
  normalize: PhoneNormalizer,
): DraftResult {
  const builder = new DraftBuilder(row, normalize);
  const { columns, headers, kindColumns } = mapping;
  for (let i = 0; i < columns.length; i++) {
    const field = columns[i]!;
    if (field === 'ignore') continue;
    // A leading apostrophe that kept a spreadsheet from reading the cell as a formula is not data.
    const cell = restoreCell(cells[i] ?? '');
    const source = headers[i] ?? `column ${i + 1}`;
    if (field.startsWith('phone:')) {
      const typeColumn = kindColumns[i];
      const labelled = typeColumn == null ? null : kindFromLabels([cells[typeColumn] ?? '']);
      builder.addPhones(cell, labelled ?? kindOf(field as PhoneField), source);
    } else {
      builder.addText(field as TextField, cell, source);
    }
  }
  return builder.finish();
}

function kindOf(field: PhoneField): NumberKind {
  return field.slice('phone:'.length) as NumberKind;
}
