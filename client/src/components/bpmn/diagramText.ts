// How bpmn-js writes labels, for every diagram the app draws (modeler and viewers).
import { thaiFonts } from '../../theme';

/** Diagram labels in the app's Thai font (bundled), not bpmn-js's Arial, which has no Thai glyphs. */
export const DIAGRAM_TEXT = { textRenderer: { defaultStyle: { fontFamily: thaiFonts, fontSize: 12 }, externalStyle: { fontFamily: thaiFonts, fontSize: 11 } } };
