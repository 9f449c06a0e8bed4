// Theme: Sarabun (bundled, see main.tsx), then the OS's Thai fonts should it fail to load.
import { createTheme } from '@mantine/core';

export const thaiFonts =
  "'Sarabun', 'TH Sarabun New', 'Noto Sans Thai', 'Noto Sans Thai UI', 'Leelawadee UI', 'Tahoma', 'Loma', 'Garuda', 'Waree', system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

export const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily: thaiFonts,
  headings: { fontFamily: thaiFonts },
  defaultRadius: 'sm',
  // Thai vowels and tone marks sit above and below the line: give them room.
  lineHeights: { xs: '1.5', sm: '1.6', md: '1.6', lg: '1.6', xl: '1.6' },
});
