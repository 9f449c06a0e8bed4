// The monitor's tables: one header row, one row of cells per item, scrolling sideways on a phone.
import type { ReactNode } from 'react';
import { Table } from '@mantine/core';

export function FigureTable<T>({ testId, headers, items, rowKey, cells, rowData, minWidth = 0 }: {
  testId: string;
  headers: string[];
  items: T[];
  rowKey: (item: T) => string | number;
  cells: (item: T) => ReactNode[];
  /** data-* attributes of a row (what tests and scripts find it by). */
  rowData?: (item: T) => Record<`data-${string}`, string | number>;
  minWidth?: number;
}) {
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {headers.map((h) => (
              <Table.Th key={h}>{h}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => (
            <Table.Tr key={rowKey(item)} {...rowData?.(item)}>
              {cells(item).map((cell, i) => (
                <Table.Td key={i}>{cell}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
