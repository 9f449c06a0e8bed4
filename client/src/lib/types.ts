// Shapes of the server's answers (see /api/openapi.json).
export interface Organisation {
  id: number; parentId: number | null; kind: string; nameTh: string; nameEn: string | null; agencyCode: string;
  ministryCode: string | null; interchangeId: string | null; address: string | null; phone: string | null; email: string | null; active: boolean;
}
export interface Unit {
  id: number; organisationId: number; parentUnitId: number | null; kind: string; nameTh: string; nameEn: string | null;
  ownerCode: string | null; keepsOwnRegister: boolean; active: boolean;
}
export interface Position { id: number; organisationId: number; unitId: number | null; titleTh: string; titleEn: string | null; reportsToId: number | null; active: boolean }
export interface User {
  id: number; organisationId: number; unitId: number | null; positionId: number | null; username: string; prefixTh: string | null;
  firstNameTh: string; lastNameTh: string; displayName: string; nameEn: string | null; email: string | null; phone: string | null;
  locale: string; emailNotifications: boolean; active: boolean; roles?: string[]; groupIds?: number[];
}
export interface Group { id: number; organisationId: number; key: string; nameTh: string; nameEn: string | null; isRole: boolean }
export type CapacityKind = 'self' | 'acting_for' | 'acting_in_post';
export interface Delegation {
  id: number; organisationId: number; principalPositionId: number; delegateUserId: number; capacity: Exclude<CapacityKind, 'self'>;
  startsAt: string; endsAt: string | null; orderNumber: string; orderDate: string | null; note: string | null; revokedAt: string | null; active: boolean;
}
export interface Capacity { positionId: number; capacity: CapacityKind; delegationId?: number; positionTitleTh?: string }
export interface Me { user: User; organisation: Organisation; unit: Unit | null; position: Position | null; capacities: Capacity[] }
export interface List<T> { items: T[] }
