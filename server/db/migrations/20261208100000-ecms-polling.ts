// ECMS peers that do not listen (issue 15): how letters travel with each directory entry of transport
// ecms (`ecmsMode`: direct = we post and it posts to us; poll = we post and poll its queue for what it
// keeps for us, an ECMS node; pickup = it polls our queue, letters to it wait there), and the lease that
// lets one server process at a time poll a node (`pollLockedUntil`, as the outbox's rows are leased).
import { DataTypes, QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  await qi.addColumn('exchange_peers', 'ecmsMode', { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'direct' });
  await qi.addColumn('exchange_peers', 'pollLockedUntil', { type: DataTypes.DATE(3), allowNull: true });
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.removeColumn('exchange_peers', 'pollLockedUntil');
  await qi.removeColumn('exchange_peers', 'ecmsMode');
}
