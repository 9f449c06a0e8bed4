// A short status word in a table cell. Not Mantine's Badge: it cuts Thai words in narrow columns.
import { Text } from '@mantine/core';

export function StatusBadge({ ok, children }: { ok: boolean; children: React.ReactNode }) {
  return (
    <Text component="span" size="xs" fw={600} c={ok ? '#1b5e20' : 'gray.7'} bg={ok ? 'green.0' : 'gray.1'} px={8} py={2} style={{ borderRadius: 10, whiteSpace: 'nowrap' }}>
      {children}
    </Text>
  );
}
