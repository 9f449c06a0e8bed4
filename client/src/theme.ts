// Theme: Sarabun (bundled, see main.tsx), then the OS's Thai fonts should it fail to load.
import { createTheme, Table } from '@mantine/core';

export const thaiFonts =
  "'Sarabun', 'TH Sarabun New', 'Noto Sans Thai', 'Noto Sans Thai UI', 'Leelawadee UI', 'Tahoma', 'Loma', 'Garuda', 'Waree', system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

export const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily: thaiFonts,
  headings: { fontFamily: thaiFonts },
  defaultRadius: 'sm',
  // Thai vowels and tone marks sit above and below the line: give them room.
  lineHeights: { xs: '1.5', sm: '1.6', md: '1.6', lg: '1.6', xl: '1.6' },
  // WCAG 2.1 AA contrast (4.5:1) for white text on filled buttons and for links (indigo-6 is 4.0:1).
  primaryShade: { light: 8, dark: 8 },
  components: {
    // A table that scrolls sideways (phones) can be scrolled from the keyboard.
    TableScrollContainer: Table.ScrollContainer.extend({ defaultProps: { scrollAreaProps: { viewportProps: { tabIndex: 0 } } } }),
  },
});
