// The acquisition record's source.hpaDco field (controller/evidence/record-schema.ts HpaDcoState),
// built from what detection found before imaging. Structurally typed here, so drivers do not
// import the controller; test/drivers/ata/record-field.test.ts checks it fits the schema.

import { summarizeHiddenAreas } from './summary.ts';
import type { HiddenAreas } from './types.ts';

export type ImagedArea = 'visible' | 'native' | 'dco';

export interface HpaDcoRecordField {
  hpaPresent?: boolean;
  dcoPresent?: boolean;
  visibleSectors?: number;
  nativeSectors?: number;
  dcoSectors?: number;
  imaged: ImagedArea;
  note?: string;
}

const IMAGED_NOTE: Record<ImagedArea, string> = {
  visible: 'imaged the visible area',
  native: 'HPA unlocked (volatile) before imaging: imaged the native area',
  dco: 'DCO restored before imaging: imaged the factory area',
};

/**
 * @param found what detection said before any unlock or restore
 * @param imaged which area the image covers
 */
export function hpaDcoRecordField(found: HiddenAreas, imaged: ImagedArea): HpaDcoRecordField {
  if (found.kind !== 'ata') {
    if (imaged !== 'visible') throw new RangeError(`cannot have imaged the ${imaged} area of a drive whose HPA/DCO was not read`);
    return { imaged, note: summarizeHiddenAreas(found) };
  }
  const dcoRead = found.dco.state === 'read' ? found.dco : undefined;
  const notes = [summarizeHiddenAreas(found), IMAGED_NOTE[imaged]];
  if (found.dco.state === 'unavailable') notes.push(`DCO not read: ${found.dco.note}`);
  if (found.hpa.note) notes.push(found.hpa.note);
  return {
    hpaPresent: found.hpa.enabled,
    ...(dcoRead ? { dcoPresent: dcoRead.hiddenSectors > 0 || dcoRead.disabledFeatures.length > 0, dcoSectors: dcoRead.realMaxSectors } : {}),
    visibleSectors: found.visibleSectors,
    nativeSectors: found.nativeSectors,
    imaged,
    note: notes.join('; '),
  };
}
